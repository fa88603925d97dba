#pragma once
// Error values carried through every layer. A layer never throws across its interface:
// it returns Result<T>, whose error is one of these. The FUSE adapter alone turns an
// ErrorCode into an errno (see fs/fuse/errno_map.cc), so the mapping lives in one table.

#include <chrono>
#include <string>
#include <string_view>

namespace swiftfs {

enum class ErrorCode {
  kNotFound,             // 404, or no such inode / name
  kUnauthorized,         // 401 that survived one re-authentication
  kForbidden,            // 403
  kPreconditionFailed,   // 412: the object changed under an If-Match read
  kRangeNotSatisfiable,  // 416
  kTooManyRequests,      // 429 that survived bounded retries
  kServerError,          // 5xx that survived bounded retries
  kBadResponse,          // malformed JSON, missing headers, unexpected status
  kTimeout,              // connect or low-speed timeout
  kConnectionFailed,     // refused, reset, DNS failure, closed mid-body
  kTlsError,             // certificate rejected, handshake failed
  kNameTooLong,          // a path component over 255 bytes
  kInvalidArgument,      // bad option, bad name, bad offset
  kNotADirectory,
  kIsADirectory,
  kNotEmpty,
  kNoData,    // xattr absent
  kRange,     // caller buffer too small (xattr ERANGE)
  kReadOnly,  // a write on a read-only mount
  kNotSupported,
  kCancelled,  // aborted by the caller (close, unmount)
  kConfig,     // missing or contradictory configuration
  kInternal,   // a bug: an invariant did not hold
  // Write path.
  kNoSpace,           // local staging space exhausted, or 507 Insufficient Storage
  kQuotaExceeded,     // 413 from a quota middleware (account/container quota)
  kTooLarge,          // 413 past the cluster's max_file_size, or a file we cannot grow
  kChecksumMismatch,  // 422: the ETag sent did not match the body Swift received
  kExists,            // 412 on If-None-Match: *, or a name that must not exist
  kConflict,          // 409 (e.g. deleting a container that is not empty)
  kCrossDevice,       // a rename the mount will not do server-side (mv falls back to copy)
};
// The last enumerator: tables that must cover every code count up to it.
inline constexpr ErrorCode kLastErrorCode = ErrorCode::kCrossDevice;

// Short stable name of a code, e.g. "not-found", for logs and tests.
std::string_view ErrorCodeName(ErrorCode code);

// The description of errno value `err` ("No space left on device"), or "error N" for one
// the C library does not know. Thread-safe, unlike strerror (strerrordesc_np).
std::string ErrnoText(int err);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Human-readable reason. Never contains a password, token or secret.
  std::string message;
  // HTTP status that produced the error, 0 when none (transport or local error).
  int http_status = 0;
  // Object or URL path the error concerns, when there is one (for the log line).
  std::string object;
  // Delay the server asked for before a retry (Retry-After of a 429/503), zero when none.
  // Read by retry decorators; never part of the message.
  std::chrono::milliseconds retry_after{0};

  // "not-found: HEAD c/o: 404 Not Found" style text for logs and user messages.
  std::string ToString() const;
};

inline Error MakeError(ErrorCode code, std::string message, int http_status = 0,
                       std::string object = {}) {
  return Error{code, std::move(message), http_status, std::move(object)};
}

}  // namespace swiftfs
