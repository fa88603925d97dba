#include "core/object_attrs.h"

#include <algorithm>
#include <limits>

namespace swiftfs::core {

namespace {
timespec ToTimespec(swift::WallTime t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns.count() / 1'000'000'000);
  ts.tv_nsec = static_cast<long>(ns.count() % 1'000'000'000);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += 1'000'000'000;
    ts.tv_sec -= 1;
  }
  return ts;
}
}  // namespace

struct stat MakeStat(const FsOptions& options, InodeId ino, EntryKind kind,
                     const ObjectAttrs& attrs) {
  struct stat st {};
  st.st_ino = ino;
  st.st_uid = options.uid;
  st.st_gid = options.gid;
  st.st_blksize = kPreferredIoSize;
  const mode_t umask = options.umask & 0777;
  switch (kind) {
    case EntryKind::kDirectory:
      st.st_mode = S_IFDIR | ((options.read_only ? 0555 : 0755) & ~umask);
      st.st_nlink = 2;
      st.st_size = 4096;
      break;
    case EntryKind::kFile:
      st.st_mode = S_IFREG | ((options.read_only ? 0444 : 0644) & ~umask);
      st.st_nlink = 1;
      // A size past off_t (a bogus Content-Length or listing "bytes") would turn negative:
      // report the largest size a file can have instead.
      st.st_size = static_cast<off_t>(
          std::min<uint64_t>(attrs.size, static_cast<uint64_t>(std::numeric_limits<off_t>::max())));
      break;
    case EntryKind::kSymlink:
      st.st_mode = S_IFLNK | 0777;
      st.st_nlink = 1;
      st.st_size = static_cast<off_t>(attrs.symlink_target.size());
      break;
  }
  st.st_blocks = static_cast<blkcnt_t>((static_cast<uint64_t>(st.st_size) + 511) / 512);
  st.st_mtim = ToTimespec(attrs.mtime);
  st.st_ctim = st.st_mtim;
  st.st_atim = st.st_mtim;
  return st;
}

}  // namespace swiftfs::core
