#pragma once
// SwitchableLogger: the Logger every component is given, forwarding to stderr until the
// daemon detaches from the terminal and to syslog after (fuse_daemonize points stderr at
// /dev/null). Components keep their Logger& for the life of the process, so the switch
// happens behind it.

#include <atomic>

#include "swiftfs/common/log.h"

namespace swiftfs::cli {

class SwitchableLogger final : public Logger {
 public:
  // `initial` must outlive this logger, as must every target given to SwitchTo().
  SwitchableLogger(LogLevel threshold, Logger& initial) : Logger(threshold), target_(&initial) {}

  // Later lines go to `target`. Safe while other threads log (they may still write a line
  // or two to the previous target).
  void SwitchTo(Logger& target) { target_.store(&target, std::memory_order_release); }

 protected:
  void Write(LogLevel level, std::string_view message) override {
    target_.load(std::memory_order_acquire)->Log(level, message);
  }

 private:
  std::atomic<Logger*> target_;
};

}  // namespace swiftfs::cli
