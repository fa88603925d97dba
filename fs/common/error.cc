#include "swiftfs/common/error.h"

#include <cstring>
#include <string>

namespace swiftfs {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kPreconditionFailed:
      return "precondition-failed";
    case ErrorCode::kRangeNotSatisfiable:
      return "range-not-satisfiable";
    case ErrorCode::kTooManyRequests:
      return "too-many-requests";
    case ErrorCode::kServerError:
      return "server-error";
    case ErrorCode::kBadResponse:
      return "bad-response";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kConnectionFailed:
      return "connection-failed";
    case ErrorCode::kTlsError:
      return "tls-error";
    case ErrorCode::kNameTooLong:
      return "name-too-long";
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kNotADirectory:
      return "not-a-directory";
    case ErrorCode::kIsADirectory:
      return "is-a-directory";
    case ErrorCode::kNotEmpty:
      return "not-empty";
    case ErrorCode::kNoData:
      return "no-data";
    case ErrorCode::kRange:
      return "range";
    case ErrorCode::kReadOnly:
      return "read-only";
    case ErrorCode::kNotSupported:
      return "not-supported";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kConfig:
      return "config";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kNoSpace:
      return "no-space";
    case ErrorCode::kQuotaExceeded:
      return "quota-exceeded";
    case ErrorCode::kTooLarge:
      return "too-large";
    case ErrorCode::kChecksumMismatch:
      return "checksum-mismatch";
    case ErrorCode::kExists:
      return "exists";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kCrossDevice:
      return "cross-device";
  }
  return "unknown";
}

std::string Error::ToString() const {
  std::string out(ErrorCodeName(code));
  if (!object.empty()) out += " [" + object + "]";
  if (http_status != 0) out += " (HTTP " + std::to_string(http_status) + ")";
  if (!message.empty()) out += ": " + message;
  return out;
}

std::string ErrnoText(int err) {
  const char* text = strerrordesc_np(err);
  return text != nullptr ? text : "error " + std::to_string(err);
}

}  // namespace swiftfs
