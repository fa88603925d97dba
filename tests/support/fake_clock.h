#pragma once
// FakeClock: time moves only when a test calls Advance() or when code calls SleepFor(),
// which advances instantly. Thread-safe.

#include <mutex>

#include "swiftfs/common/clock.h"

namespace swiftfs::testing {

class FakeClock final : public Clock {
 public:
  // Starts at 2026-01-01T00:00:00Z wall time.
  FakeClock() : wall_(std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}) {}

  WallTime Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return wall_;
  }
  MonoTime Monotonic() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return mono_;
  }
  void SleepFor(std::chrono::nanoseconds d) override {
    std::lock_guard<std::mutex> lock(mu_);
    slept_ += d;
    AdvanceLocked(d);
  }
  void Advance(std::chrono::nanoseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    AdvanceLocked(d);
  }
  void SetWall(WallTime t) {
    std::lock_guard<std::mutex> lock(mu_);
    wall_ = t;
  }
  // Total time "slept" through SleepFor, to check backoff without waiting.
  std::chrono::nanoseconds TotalSlept() const {
    std::lock_guard<std::mutex> lock(mu_);
    return slept_;
  }

 private:
  void AdvanceLocked(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<WallTime::duration>(d);
    mono_ += std::chrono::duration_cast<MonoTime::duration>(d);
  }

  mutable std::mutex mu_;
  WallTime wall_;
  MonoTime mono_{};
  std::chrono::nanoseconds slept_{0};
};

}  // namespace swiftfs::testing
