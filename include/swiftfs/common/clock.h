#pragma once
// Time source. Everything that reads the time or sleeps goes through a Clock so tests can
// use a FakeClock (tests/support/fake_clock.h) and never wait for real.

#include <chrono>

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
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override;
  MonoTime Monotonic() const override;
  void SleepFor(std::chrono::nanoseconds d) override;
};

}  // namespace swiftfs
