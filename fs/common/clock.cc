#include "swiftfs/common/clock.h"

#include <thread>

namespace swiftfs {

Clock::WallTime SystemClock::Now() const { return std::chrono::system_clock::now(); }

Clock::MonoTime SystemClock::Monotonic() const { return std::chrono::steady_clock::now(); }

void SystemClock::SleepFor(std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }

}  // namespace swiftfs
