#pragma once
// FsStats: statfs() from the account's HEAD (bytes used, object count, quota), cached for
// attr_timeout so that `df` in a loop costs one request per timeout.
//
// Design: without a quota Swift has no fixed capacity; a nominal 1 PiB (as s3fs does)
// shows the bytes used without a "100% full" filesystem that disk monitors would alarm
// on. Later, a local store's budget and uploads in progress are reported from here too.
//
// INVARIANT: cached_ is only touched with mu_ held, and is never older than its expiry
// when returned. Thread-safe; mu_ is a leaf lock, never held across the HEAD.

#include <sys/statvfs.h>

#include <chrono>
#include <optional>
#include <utility>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/core/filesystem.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

class FsStats {
 public:
  // References must outlive the FsStats.
  FsStats(swift::ObjectClient& client, Clock& clock, const FsOptions& options);

  Result<struct statvfs> Get();

 private:
  // The statvfs of an account as HEAD described it.
  struct statvfs FromAccount(const swift::AccountInfo& account) const;

  swift::ObjectClient& client_;
  Clock& clock_;
  const std::chrono::steady_clock::duration ttl_;
  const bool read_only_;
  Mutex mu_;
  // Until when (monotonic) and what.
  std::optional<std::pair<std::chrono::steady_clock::time_point, struct statvfs>> cached_
      GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
