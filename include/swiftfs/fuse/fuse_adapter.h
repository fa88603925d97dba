#pragma once
// FuseAdapter: the libfuse low-level callback table over a core::Filesystem. Each callback
// unpacks its arguments, calls one Filesystem method, and replies; errors become an errno
// through ErrnoFor() (errno_map.h) and a log line naming the operation, the inode and the
// reason. Write operations are callbacks of the same kind (fs/fuse/write_ops.cc); a
// read-only mount (-o ro) is refused by the core (EROFS). No exception crosses a callback: each
// body runs inside a guard that answers EIO and logs instead.
//
// Thread-safety: the callbacks run on libfuse worker threads concurrently; the adapter's
// only state of its own is the table of reads an interrupt may cancel (its own mutex),
// and the Filesystem is thread-safe.

#include <fuse_lowlevel.h>

#include <memory>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/log.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::fuse {

namespace internal {
class Interrupts;
}  // namespace internal

class FuseAdapter {
 public:
  // `clock` gives "now" to setattr's UTIME_NOW (touch); every reference must outlive the
  // adapter.
  FuseAdapter(core::Filesystem& filesystem, Logger& logger, Clock& clock);
  ~FuseAdapter();
  FuseAdapter(const FuseAdapter&) = delete;
  FuseAdapter& operator=(const FuseAdapter&) = delete;

  // The callback table to give fuse_session_new(), with a pointer to this adapter as the
  // session's userdata. The table is a constant shared by every adapter.
  static const fuse_lowlevel_ops& Operations();

  core::Filesystem& filesystem() { return filesystem_; }
  Logger& logger() { return logger_; }
  Clock& clock() { return clock_; }
  // Reads in progress, for FUSE interrupts (Ctrl-C on a blocked read answers EINTR).
  internal::Interrupts& interrupts() { return *interrupts_; }

 private:
  core::Filesystem& filesystem_;
  Logger& logger_;
  Clock& clock_;
  const std::unique_ptr<internal::Interrupts> interrupts_;
};

}  // namespace swiftfs::fuse
