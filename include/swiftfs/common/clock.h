#pragma once
// Time source. Everything that reads the time or sleeps goes through a Clock so tests can
// use a FakeClock (tests/support/fake_clock.h) and never wait for real.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace swiftfs {

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using MonoTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  // Wall-clock time: for comparing with expiry times servers send (token expiry).
  virtual WallTime Now() const = 0;
  // Monotonic time: for TTLs and timeouts, immune to clock steps.
  virtual MonoTime Monotonic() const = 0;
  // Blocks the calling thread for `d` (a fake clock advances instead). Thread-safe.
  virtual void SleepFor(std::chrono::nanoseconds d) = 0;
  // Waits on `cv`, whose mutex `lock` holds, until `cv` is notified or Monotonic() reaches
  // `deadline` (MonoTime::max(): no deadline), for background threads that sleep until a due
  // time but must wake at once when told to stop. Like condition_variable::wait_until it may
  // return early: callers re-check their condition and the time. `lock` is held on return.
  virtual void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         MonoTime deadline) = 0;
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override;
  MonoTime Monotonic() const override;
  void SleepFor(std::chrono::nanoseconds d) override;
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 MonoTime deadline) override;
};

}  // namespace swiftfs
