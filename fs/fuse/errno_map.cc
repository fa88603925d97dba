#include "swiftfs/fuse/errno_map.h"

#include <cerrno>

namespace swiftfs::fuse {

int ErrnoFor(ErrorCode code) {
  // No default: a new ErrorCode must be given an errno here (-Wswitch warns otherwise).
  // NOLINTBEGIN(bugprone-branch-clone): one case per ErrorCode, each a decision of its own
  switch (code) {
    case ErrorCode::kNotFound:
      return ENOENT;
    case ErrorCode::kUnauthorized:
      return EACCES;
    case ErrorCode::kForbidden:
      return EACCES;
    // The object changed since open(): the handle is stale, as on NFS.
    case ErrorCode::kPreconditionFailed:
      return ESTALE;
    // A 416 that reached the edge means an offset the object no longer has.
    case ErrorCode::kRangeNotSatisfiable:
      return EINVAL;
    // Remote failures that survived bounded retries: the I/O failed.
    case ErrorCode::kTooManyRequests:
      return EIO;
    case ErrorCode::kServerError:
      return EIO;
    case ErrorCode::kBadResponse:
      return EIO;
    case ErrorCode::kTimeout:
      return EIO;
    case ErrorCode::kConnectionFailed:
      return EIO;
    case ErrorCode::kTlsError:
      return EIO;
    case ErrorCode::kNameTooLong:
      return ENAMETOOLONG;
    case ErrorCode::kInvalidArgument:
      return EINVAL;
    case ErrorCode::kNotADirectory:
      return ENOTDIR;
    case ErrorCode::kIsADirectory:
      return EISDIR;
    case ErrorCode::kNotEmpty:
      return ENOTEMPTY;
    case ErrorCode::kNoData:
      return ENODATA;
    case ErrorCode::kRange:
      return ERANGE;
    case ErrorCode::kReadOnly:
      return EROFS;
    case ErrorCode::kNotSupported:
      return ENOTSUP;
    case ErrorCode::kCancelled:
      return EINTR;
    case ErrorCode::kConfig:
      return EIO;
    case ErrorCode::kInternal:
      return EIO;
    case ErrorCode::kNoSpace:
      return ENOSPC;
    case ErrorCode::kQuotaExceeded:
      return EDQUOT;
    case ErrorCode::kTooLarge:
      return EFBIG;
    // Retried with the same bytes before it reaches the edge; if it does, the data
    // could not be stored intact.
    case ErrorCode::kChecksumMismatch:
      return EIO;
    case ErrorCode::kExists:
      return EEXIST;
    // A container that still holds objects is the only 409 the mount causes.
    case ErrorCode::kConflict:
      return ENOTEMPTY;
    case ErrorCode::kCrossDevice:
      return EXDEV;
  }
  // NOLINTEND(bugprone-branch-clone)
  return EIO;
}

LogLevel LogLevelFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
    case ErrorCode::kNameTooLong:
    case ErrorCode::kNoData:
    case ErrorCode::kRange:
    case ErrorCode::kReadOnly:
    case ErrorCode::kNotADirectory:
    case ErrorCode::kIsADirectory:
    case ErrorCode::kNotEmpty:
    case ErrorCode::kNotSupported:
    case ErrorCode::kCancelled:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kExists:
    case ErrorCode::kCrossDevice:
      return LogLevel::kDebug;
    case ErrorCode::kInternal:
      return LogLevel::kError;
    default:
      return LogLevel::kWarning;
  }
}

}  // namespace swiftfs::fuse
