#include "swift/swift_errors.h"

#include <charconv>
#include <string>

#include "swiftfs/common/strings.h"

namespace swiftfs::swift {

namespace {

constexpr size_t kMaxReasonBytes = 200;
// A server asking for a longer pause than this is treated as asking for this much; the
// retry decorator has its own, smaller caps anyway.
constexpr std::chrono::seconds kMaxRetryAfter{3600};

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Request Entity Too Large";
    case 416:
      return "Requested Range Not Satisfiable";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 498:
      return "Slow Down";
    case 499:
      return "Client Disconnect";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 507:
      return "Insufficient Storage";
    default:
      return "";
  }
}

std::chrono::milliseconds RetryAfter(const http::Headers& headers) {
  const auto value = headers.Get("Retry-After");
  if (!value) return std::chrono::milliseconds{0};
  // Only the delta-seconds form; an HTTP-date would need the server's clock.
  const std::string_view text = TrimWhitespace(*value);
  uint64_t seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size()) return std::chrono::milliseconds{0};
  if (seconds > static_cast<uint64_t>(kMaxRetryAfter.count())) seconds = kMaxRetryAfter.count();
  return std::chrono::seconds(seconds);
}

std::string Describe(http::Method method, std::string_view target) {
  std::string out(http::MethodName(method));
  out.push_back(' ');
  out += target.empty() ? std::string_view("account") : target;
  return out;
}

}  // namespace

ErrorCode ErrorCodeForStatus(int status) {
  switch (status) {
    case 401:
      return ErrorCode::kUnauthorized;
    case 403:
      return ErrorCode::kForbidden;
    case 404:
      return ErrorCode::kNotFound;
    case 408:
      return ErrorCode::kTimeout;
    case 409:
      return ErrorCode::kConflict;
    case 412:
      return ErrorCode::kPreconditionFailed;
    case 413:
      return ErrorCode::kTooLarge;
    case 422:
      return ErrorCode::kChecksumMismatch;
    case 507:
      return ErrorCode::kNoSpace;
    case 416:
      return ErrorCode::kRangeNotSatisfiable;
    case 429:
    case 498:
      return ErrorCode::kTooManyRequests;
    default:
      break;
  }
  if (status >= 500 && status <= 599) return ErrorCode::kServerError;
  return ErrorCode::kBadResponse;
}

std::string SummarizeBody(std::string_view body) {
  std::string out;
  bool in_tag = false;
  bool pending_space = false;
  for (char c : body) {
    if (c == '<') {
      in_tag = true;
      pending_space = true;  // "<h1>Not Found</h1><p>The..." reads "Not Found The..."
      continue;
    }
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = true;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20) continue;  // keep log lines single-line
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    if (out.size() >= kMaxReasonBytes) {
      out += "...";
      break;
    }
  }
  return out;
}

Error ErrorFromStatus(http::Method method, std::string_view target, int status,
                      const http::Headers& headers, std::string_view body) {
  std::string message = Describe(method, target) + ": " + std::to_string(status);
  const std::string_view phrase = ReasonPhrase(status);
  if (!phrase.empty()) message += " " + std::string(phrase);
  std::string reason = SummarizeBody(body);
  // Swift's pages repeat the phrase as a heading: keep only what follows it.
  if (!phrase.empty() && StartsWith(reason, phrase)) {
    reason = std::string(TrimWhitespace(std::string_view(reason).substr(phrase.size())));
  }
  if (!reason.empty()) message += ": " + reason;
  ErrorCode code = ErrorCodeForStatus(status);
  // The quota middlewares answer 413 "Upload exceeds quota."; anything else is a size limit.
  if (status == 413 && ToLower(reason).find("quota") != std::string::npos) {
    code = ErrorCode::kQuotaExceeded;
  }
  Error error = MakeError(code, std::move(message), status, std::string(target));
  error.retry_after = RetryAfter(headers);
  return error;
}

Error ErrorFromResponse(http::Method method, std::string_view target,
                        const http::Response& response) {
  return ErrorFromStatus(method, target, response.status, response.headers, response.body);
}

Error BadResponse(http::Method method, std::string_view target, std::string_view what,
                  int http_status) {
  return MakeError(ErrorCode::kBadResponse,
                   Describe(method, target) + ": unexpected reply: " + std::string(what),
                   http_status, std::string(target));
}

std::string Target(std::string_view container, std::string_view object) {
  std::string out(container);
  out.push_back('/');
  out += object;
  return out;
}

Error WithTarget(Error error, std::string_view target) {
  if (error.object.empty()) error.object = std::string(target);
  return error;
}

}  // namespace swiftfs::swift
