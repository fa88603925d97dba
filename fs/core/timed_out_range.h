#pragma once
// TimedOutRange: remembers, per open file, the byte range whose read last ran out of its
// deadline (kTimeout), so that the kernel's immediate retry of that range fails at once.
//
// Why: when a page-cache read-ahead fails, the kernel retries the same pages with a
// synchronous read of its own before it returns the error to the program. Against a stalled
// server each of those would wait a whole `op_timeout`, so `cat` would take twice the
// documented deadline to fail. A read overlapping the remembered range within
// kRetryWindow of the failure gets the same error without a request; after the window (a
// program reading again later, on its own) the read goes to Swift as usual.
//
// Thread-safe; mu_ is a leaf lock, never held across a read.

#include <cstdint>
#include <optional>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/error.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

class TimedOutRange {
 public:
  // Long enough for the kernel's retry, which follows the failure at once; short enough that
  // a program's own later read is not refused.
  static constexpr std::chrono::seconds kRetryWindow{5};

  // Records that the read of [offset, end) failed with `error` (kept only for kTimeout).
  void Record(uint64_t offset, uint64_t end, const Error& error, Clock::MonoTime now);

  // The remembered error when [offset, end) overlaps the range that timed out within
  // kRetryWindow before `now`; nullopt otherwise.
  std::optional<Error> Check(uint64_t offset, uint64_t end, Clock::MonoTime now) const;

 private:
  struct Failure {
    uint64_t offset = 0;
    uint64_t end = 0;
    Clock::MonoTime when{};
    Error error;
  };
  mutable Mutex mu_;
  std::optional<Failure> last_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
