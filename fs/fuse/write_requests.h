#pragma once
// The translations of the write callbacks that need no fuse_req_t: setattr's to_set bits
// into a core::SetAttrRequest, rename's flags into a core::RenameMode. Kept apart from the
// callbacks so that they are unit-tested (a callback can only run inside a FUSE session).

#include <sys/stat.h>

#include <ctime>

#include "swiftfs/common/result.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::fuse::internal {

// The fields of `attr` that `to_set` (FUSE_SET_ATTR_* bits) names. *_NOW takes `now`
// (utimensat(UTIME_NOW), `touch`): the kernel leaves it to the filesystem to read the
// clock. CTIME, FORCE, KILL_SUID/SGID/PRIV, FILE, OPEN, TIMES_SET and TOUCH carry nothing
// the core stores (there is no ctime in Swift, no setuid bit to clear) and are ignored.
core::SetAttrRequest ToSetAttrRequest(const struct stat& attr, int to_set, struct timespec now);

// rename(2)'s flags: 0 replaces, RENAME_NOREPLACE and RENAME_EXCHANGE as the core defines
// them; any other bit (RENAME_WHITEOUT: overlayfs only) is kInvalidArgument, as on
// filesystems that do not know it.
Result<core::RenameMode> ToRenameMode(unsigned flags);

}  // namespace swiftfs::fuse::internal
