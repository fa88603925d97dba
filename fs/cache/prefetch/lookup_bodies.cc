#include "cache/prefetch/lookup_bodies.h"

#include <algorithm>
#include <utility>

namespace swiftfs::cache {

LookupBodies::LookupBodies(size_t capacity, std::chrono::steady_clock::duration max_age,
                           Counters& counters, Clock& clock)
    : capacity_(capacity), max_age_(max_age), counters_(counters), clock_(clock) {}

bool LookupBodies::Worthwhile() {
  MutexLock lock(mu_);
  if (capacity_ == 0) return false;
  if (unread_in_a_row_ < capacity_) return true;
  return ++asks_while_off_ % kProbeEvery == 0;
}

void LookupBodies::Keep(const ObjectVersion& version, std::shared_ptr<Part> part) {
  Dropped dropped;  // freed after the lock is released (declared first)
  MutexLock lock(mu_);
  if (capacity_ == 0) return;
  const Clock::MonoTime now = clock_.Monotonic();
  DropExpiredLocked(now, dropped);
  // A second lookup of the same version (its attributes expired before the open) replaces
  // the first body rather than holding two.
  auto same = std::find_if(kept_.begin(), kept_.end(),
                           [&](const Kept& kept) { return kept.version == version; });
  if (same != kept_.end()) {
    dropped.push_back(std::move(same->part));
    kept_.erase(same);
  }
  while (kept_.size() >= capacity_) DropOldestLocked(dropped);
  kept_.push_back(Kept{version, std::move(part), now});
}

std::shared_ptr<Part> LookupBodies::Take(const ObjectVersion& version) {
  Dropped dropped;  // freed after the lock is released (declared first)
  MutexLock lock(mu_);
  DropExpiredLocked(clock_.Monotonic(), dropped);
  auto it = std::find_if(kept_.begin(), kept_.end(),
                         [&](const Kept& kept) { return kept.version == version; });
  if (it == kept_.end()) return nullptr;
  std::shared_ptr<Part> part = std::move(it->part);
  kept_.erase(it);
  unread_in_a_row_ = 0;
  asks_while_off_ = 0;
  counters_.Add(Counter::kLookupGetHits);
  return part;
}

size_t LookupBodies::size() const {
  MutexLock lock(mu_);
  return kept_.size();
}

void LookupBodies::DropExpiredLocked(Clock::MonoTime now, Dropped& dropped) {
  while (!kept_.empty() && now - kept_.front().since >= max_age_) DropOldestLocked(dropped);
}

void LookupBodies::DropOldestLocked(Dropped& dropped) {
  dropped.push_back(std::move(kept_.front().part));
  kept_.pop_front();
  if (unread_in_a_row_ < capacity_) ++unread_in_a_row_;
}

}  // namespace swiftfs::cache
