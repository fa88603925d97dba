#include "fuse/write_requests.h"

#include <fuse_lowlevel.h>

#include <cstdio>  // RENAME_NOREPLACE, RENAME_EXCHANGE (glibc)
#include <string>

namespace swiftfs::fuse::internal {

core::SetAttrRequest ToSetAttrRequest(const struct stat& attr, int to_set, struct timespec now) {
  core::SetAttrRequest request;
  // Only the permission bits: the kernel never asks to change a file's type.
  if (to_set & FUSE_SET_ATTR_MODE) request.mode = attr.st_mode & 07777;
  if (to_set & FUSE_SET_ATTR_UID) request.uid = attr.st_uid;
  if (to_set & FUSE_SET_ATTR_GID) request.gid = attr.st_gid;
  if (to_set & FUSE_SET_ATTR_SIZE) request.size = static_cast<uint64_t>(attr.st_size);
  if (to_set & FUSE_SET_ATTR_ATIME_NOW) {
    request.atime = now;
  } else if (to_set & FUSE_SET_ATTR_ATIME) {
    request.atime = attr.st_atim;
  }
  if (to_set & FUSE_SET_ATTR_MTIME_NOW) {
    request.mtime = now;
  } else if (to_set & FUSE_SET_ATTR_MTIME) {
    request.mtime = attr.st_mtim;
  }
  return request;
}

Result<core::RenameMode> ToRenameMode(unsigned flags) {
  switch (flags) {
    case 0:
      return core::RenameMode::kReplace;
    case RENAME_NOREPLACE:
      return core::RenameMode::kNoReplace;
    case RENAME_EXCHANGE:
      return core::RenameMode::kExchange;
    default:
      return MakeError(ErrorCode::kInvalidArgument,
                       "rename flags " + std::to_string(flags) + " not supported");
  }
}

}  // namespace swiftfs::fuse::internal
