#pragma once
// Turning identity-service answers into values or clear errors, shared by the Keystone v2.0,
// v3 and Swift v1 authenticators. Every message names the URL and, for a failed login, the
// user, and quotes the server's own explanation, with any secret we sent cut out of it
// (Keystone's validation errors can echo request fields).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/identity_client.h"
#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/secret.h"
#include "swiftfs/common/time_format.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::auth {

// What an identity exchange was about, for error messages.
struct IdentityContext {
  std::string url;                     // the URL requested (never one that embeds a token)
  std::string user;                    // name or id as configured, empty if none
  std::vector<const Secret*> secrets;  // cut out of anything the server says
};

// Replaces every occurrence of each non-empty secret in `text` with "<redacted>".
std::string Redact(std::string text, const std::vector<const Secret*>& secrets);

// The server's explanation of an error response: error.message of a Keystone error body
// ({"error": {"code", "title", "message"}}), the <title> of an HTML page, or the start of a
// plain-text body. Redacted; at most a few hundred characters; empty when the body is empty.
std::string ServerMessage(const http::Response& response,
                          const std::vector<const Secret*>& secrets);

// OK for 2xx; otherwise: 401 kUnauthorized "authentication failed for user X at URL: ...",
// 403 kForbidden, 400 and 404 kConfig (our request or URL is wrong), 429 kTooManyRequests,
// 5xx kServerError, anything else kBadResponse. Carries http_status and retry_after.
Status CheckIdentityStatus(const http::Response& response, const IdentityContext& context);

// A transport failure reaching the identity service: same code, message naming the URL and
// saying what went wrong ("cannot reach", "no answer in time", "unusable response" for a
// body over the HTTP layer's cap and the like).
Error IdentityTransportError(const Error& error, const std::string& url);

// Whatever the method, what it obtained must be usable before it is used: a token that can
// go in a header (printable ASCII, at most 64 KiB) and, when `check_storage_url`, an http(s)
// storage URL without control characters. kBadResponse saying which; never quotes a token.
Status CheckIssuedSession(const Session& session, bool check_storage_url);

// POSTs the JSON `body` to `context.url` as a token request (Keystone v2.0 and v3 alike)
// and returns the 2xx response; a transport failure or an error status becomes the error
// of IdentityTransportError / CheckIdentityStatus.
Result<http::Response> PostTokenRequest(IdentityClient& identity, std::string body,
                                        const IdentityContext& context);

// Parses a JSON body; kBadResponse naming `what` when it is not JSON (e.g. an HTML page).
Result<nlohmann::json> ParseJsonBody(const http::Response& response, std::string_view what);

// The member `key` of `object` as a non-empty string; kBadResponse naming `path` otherwise.
Result<std::string> RequiredString(const nlohmann::json& object, std::string_view key,
                                   std::string_view path);
// The member as a string, or "" when absent, null or not a string.
std::string OptionalString(const nlohmann::json& object, std::string_view key);
// The member when it is an object, else nullptr.
const nlohmann::json* ObjectMember(const nlohmann::json& object, std::string_view key);

// An ISO 8601 expiry field: nullopt when absent or null (the token never expires),
// kBadResponse naming `path` when it is not a valid time.
Result<std::optional<WallTime>> OptionalTime(const nlohmann::json& object, std::string_view key,
                                             std::string_view path);

// How long a token stays valid, measured on the server's clock when it says when it issued
// the token (so a skewed local clock does not matter), else against `now`. nullopt: forever.
// kBadResponse when the token is already expired on arrival.
Result<std::optional<WallTime::duration>> TokenLifetime(std::optional<WallTime> expires,
                                                        std::optional<WallTime> issued,
                                                        WallTime now);

}  // namespace swiftfs::auth
