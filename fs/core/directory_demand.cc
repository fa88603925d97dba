#include "core/directory_demand.h"

#include <algorithm>

namespace swiftfs::core {

DirectoryDemand::DirectoryDemand(Clock& clock, std::chrono::steady_clock::duration window,
                                 size_t capacity)
    : clock_(clock), window_(window), capacity_(capacity) {}

void DirectoryDemand::Roll(Demand& d, std::chrono::steady_clock::time_point at) const {
  if (at < d.window_start + window_) return;
  // The window just before this one still counts; anything older does not.
  d.previous_uses = at < d.window_start + 2 * window_ ? d.uses : 0;
  d.uses = 0;
  d.window_start = at;
}

DirectoryDemand::Demand& DirectoryDemand::Find(const std::string& key,
                                               std::chrono::steady_clock::time_point now) {
  auto it = demand_.find(key);
  if (it == demand_.end()) {
    if (demand_.size() >= capacity_ && capacity_ > 0) {
      auto oldest = std::min_element(
          demand_.begin(), demand_.end(),
          [](const auto& a, const auto& b) { return a.second.last_use < b.second.last_use; });
      demand_.erase(oldest);
    }
    it = demand_.emplace(key, Demand{.window_start = now, .last_use = now}).first;
  }
  return it->second;
}

bool DirectoryDemand::Use(const std::string& key) {
  const auto now = clock_.Monotonic();
  MutexLock lock(mu_);
  Demand& d = Find(key, now);
  Roll(d, now);
  ++d.uses;
  d.last_use = now;
  if (now < d.too_large_until) return false;
  const uint64_t demand = d.uses + d.previous_uses;
  return demand >= std::max(kListAfterUses, d.pages);
}

void DirectoryDemand::Listed(const std::string& key, std::chrono::steady_clock::time_point started,
                             uint64_t pages, bool held) {
  const auto now = clock_.Monotonic();
  MutexLock lock(mu_);
  Demand& d = Find(key, started);
  Roll(d, started);  // the demand as the listing began
  if (held) {
    d.pages = std::max<uint64_t>(pages, 1);
    d.too_large_until = {};
    // A new window starts with the listing, carrying the demand that brought it: while a
    // slow listing ran, no use could be counted (the walk waited for it), and that gap
    // must not make a busy directory look idle.
    d.uses += d.previous_uses;
    d.previous_uses = 0;
    d.window_start = now;
    d.last_use = now;
  } else {
    Roll(d, now);
    d.too_large_until = now + window_;
  }
}

}  // namespace swiftfs::core
