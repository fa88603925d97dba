#pragma once
// FakeClock: time moves only when a test calls Advance() or when code calls SleepFor(),
// which advances instantly. Thread-safe.
//
// WaitUntil() really blocks, until the waiter's condition variable is notified or fake time
// reaches the deadline: Advance() and SleepFor() wake every waiter, locking each waiter's
// mutex to notify it so no wake-up is lost. So never call them while holding the mutex of a
// thread that may be in WaitUntil(). AwaitWaiter() lets a test wait until a background thread
// has finished reacting to the time it just set, without any real-time threshold.

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

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
    {
      std::lock_guard<std::mutex> lock(mu_);
      slept_ += d;
    }
    Advance(d);
  }
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 MonoTime deadline) override {
    Waiter self{lock.mutex(), &cv, {}};
    {
      std::lock_guard<std::mutex> guard(mu_);
      if (mono_ >= deadline) return;
      self.since = mono_;
      waiters_.push_back(&self);
      waiters_changed_.notify_all();
    }
    cv.wait(lock);  // the caller's lock is held until the wait begins: no lost wake-up
    std::lock_guard<std::mutex> guard(mu_);
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &self));
  }

  void Advance(std::chrono::nanoseconds d) {
    std::vector<std::pair<std::mutex*, std::condition_variable*>> wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      AdvanceLocked(d);
      for (const Waiter* w : waiters_) wake.emplace_back(w->mu, w->cv);
    }
    // Outside mu_: waiters hold their own mutex while they read the time (lock order).
    for (auto [mu, cv] : wake) {
      std::lock_guard<std::mutex> lock(*mu);
      cv->notify_all();
    }
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
  // Blocks until some thread is in WaitUntil() having begun that wait at the current fake
  // time or later: whatever the last Advance() woke has done its work and sleeps again.
  void AwaitWaiter() {
    std::unique_lock<std::mutex> lock(mu_);
    const MonoTime now = mono_;
    waiters_changed_.wait(lock, [&] {
      return std::any_of(waiters_.begin(), waiters_.end(),
                         [&](const Waiter* w) { return w->since >= now; });
    });
  }

 private:
  struct Waiter {
    std::mutex* mu;
    std::condition_variable* cv;
    MonoTime since;
  };

  void AdvanceLocked(std::chrono::nanoseconds d) {
    wall_ += std::chrono::duration_cast<WallTime::duration>(d);
    mono_ += std::chrono::duration_cast<MonoTime::duration>(d);
  }

  mutable std::mutex mu_;
  std::condition_variable waiters_changed_;
  WallTime wall_;
  MonoTime mono_{};
  std::chrono::nanoseconds slept_{0};
  std::vector<Waiter*> waiters_;  // GUARDED_BY(mu_); threads in WaitUntil
};

}  // namespace swiftfs::testing
