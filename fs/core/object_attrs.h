#pragma once
// ObjectAttrs: the attributes the core keeps per inode, and how they become a struct stat.

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "core/directory_listing.h"
#include "swiftfs/core/filesystem.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

struct ObjectAttrs {
  uint64_t size = 0;
  swift::WallTime mtime{};
  // Files and symlinks: Swift's timestamp of the version (a listing's last_modified, a
  // HEAD's X-Timestamp), which with the etag names it in the VersionMetadataStore.
  swift::WallTime version_time{};
  std::string etag;
  std::string symlink_target;  // symlinks: the path readlink returns
  // False while size may still be wrong: a 0-byte listing entry that could be a DLO.
  bool size_verified = true;
  // False while the mtime is the listing's stand-in: with mtime=meta, a listed version
  // whose metadata is not known yet (readdirplus does not wait for its HEAD).
  bool mtime_verified = true;
  // Attributes are current until then (monotonic); the epoch means "never fetched".
  std::chrono::steady_clock::time_point expiry{};
};

// Builds the stat of an inode. Directories: nlink 2; files: nlink 1; permission bits from
// the options (r-x / r-- on read-only mounts, less the umask); symlinks 0777.
struct stat MakeStat(const FsOptions& options, InodeId ino, EntryKind kind,
                     const ObjectAttrs& attrs);

// st_blksize we advertise: large, so tools read in big chunks.
inline constexpr blksize_t kPreferredIoSize = blksize_t{128} * 1024;

}  // namespace swiftfs::core
