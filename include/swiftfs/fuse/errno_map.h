#pragma once
// The one table from ErrorCode to errno. Nothing else in swiftfs produces an errno: the
// FUSE adapter calls ErrnoFor() on every error it replies with, so a reviewer checks the
// whole mapping here.

#include "swiftfs/common/error.h"
#include "swiftfs/common/log.h"

namespace swiftfs::fuse {

// The errno a FUSE reply carries for `code`. Always a positive errno value.
int ErrnoFor(ErrorCode code);

// How loudly a failed operation is logged: expected outcomes (no such name, no such
// xattr, a write on a read-only mount) at debug, failures the user should hear about
// (EIO-class, ESTALE, EACCES) at warning.
LogLevel LogLevelFor(ErrorCode code);

}  // namespace swiftfs::fuse
