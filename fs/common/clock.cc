#include "swiftfs/common/clock.h"

#include <thread>

namespace swiftfs {

Clock::WallTime SystemClock::Now() const { return std::chrono::system_clock::now(); }

Clock::MonoTime SystemClock::Monotonic() const { return std::chrono::steady_clock::now(); }

void SystemClock::SleepFor(std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }

void SystemClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                            MonoTime deadline) {
  // wait_until with a far deadline can overflow in the conversion some libraries make.
  if (deadline == MonoTime::max()) {
    cv.wait(lock);
  } else {
    cv.wait_until(lock, deadline);
  }
}

}  // namespace swiftfs
