#include "core/directory_demand.h"

#include <algorithm>

namespace swiftfs::core {

DirectoryDemand::DirectoryDemand(Clock& clock, std::chrono::steady_clock::duration window,
                                 size_t capacity)
    : clock_(clock), window_(window), capacity_(capacity) {}

DirectoryDemand::Demand& DirectoryDemand::Current(const std::string& key,
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
  Demand& d = it->second;
  if (now >= d.window_start + window_) {
    // The window just before this one still counts; anything older does not.
    d.previous_uses = now < d.window_start + 2 * window_ ? d.uses : 0;
    d.uses = 0;
    d.window_start = now;
  }
  return d;
}

bool DirectoryDemand::Use(const std::string& key) {
  const auto now = clock_.Monotonic();
  MutexLock lock(mu_);
  Demand& d = Current(key, now);
  ++d.uses;
  d.last_use = now;
  if (now < d.too_large_until) return false;
  const uint64_t demand = d.uses + d.previous_uses;
  return demand >= std::max(kListAfterUses, d.pages);
}

void DirectoryDemand::Listed(const std::string& key, uint64_t pages, bool held) {
  const auto now = clock_.Monotonic();
  MutexLock lock(mu_);
  Demand& d = Current(key, now);
  if (held) {
    d.pages = std::max<uint64_t>(pages, 1);
    d.too_large_until = {};
  } else {
    d.too_large_until = now + window_;
  }
}

}  // namespace swiftfs::core
