#pragma once
// The one place an HTTP status from Swift becomes an ErrorCode. Every SwiftClient method
// reports an unexpected status through ErrorFromResponse, so the message always names the
// request (method and container/object) and carries the server's own reason.

#include <string>
#include <string_view>

#include "swiftfs/common/error.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::swift {

// 404 kNotFound, 401 kUnauthorized, 403 kForbidden, 408 kTimeout, 412 kPreconditionFailed,
// 416 kRangeNotSatisfiable, 429 and 498 (Swift's ratelimit "Slow Down") kTooManyRequests,
// 409 kConflict, 413 kTooLarge, 422 kChecksumMismatch (the ETag sent did not match the
// body), 507 kNoSpace, other 5xx kServerError, anything else kBadResponse. A 412 that
// answers If-None-Match is kExists: the write methods decide that, the status cannot.
ErrorCode ErrorCodeForStatus(int status);

// "HEAD c/o: 404 Not Found: The resource could not be found." with http_status set,
// `object` set to `target` ("container/object", "container" or "" for the account), and
// retry_after taken from a Retry-After header given in seconds. A 413 whose body speaks of
// a quota ("Upload exceeds quota.") is kQuotaExceeded rather than kTooLarge.
Error ErrorFromResponse(http::Method method, std::string_view target,
                        const http::Response& response);

// Same, for a body the caller kept apart (a GetRange sink collects error bodies itself).
Error ErrorFromStatus(http::Method method, std::string_view target, int status,
                      const http::Headers& headers, std::string_view body);

// A reply that is well-formed HTTP but not what Swift sends: kBadResponse naming the
// request, e.g. BadResponse(kGet, "c", "listing is not a JSON array").
Error BadResponse(http::Method method, std::string_view target, std::string_view what,
                  int http_status = 0);

// A 2xx status: the request did what it asked.
inline bool IsSuccess(int status) { return status >= 200 && status <= 299; }

// How messages and Error::object name a request's target: "container/object".
std::string Target(std::string_view container, std::string_view object);

// Transport and authentication errors come from below without the request's context: adds
// the target unless the error already names one.
Error WithTarget(Error error, std::string_view target);

// Readable text of an error body: HTML tags removed, whitespace collapsed, at most
// 200 bytes. Swift's error bodies are short HTML pages ("<html><h1>Not Found</h1>...").
std::string SummarizeBody(std::string_view body);

}  // namespace swiftfs::swift
