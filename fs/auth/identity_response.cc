#include "auth/identity_response.h"

#include <algorithm>

#include "swiftfs/common/strings.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

namespace {

constexpr size_t kMaxMessage = 300;

std::string Truncate(std::string text) {
  if (text.size() > kMaxMessage) text = text.substr(0, kMaxMessage) + "...";
  return text;
}

// Collapses runs of whitespace (HTML titles and plain bodies span lines).
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool LooksLikeHtml(std::string_view body) {
  const std::string start = ToLower(TrimWhitespace(body.substr(0, 256)));
  return StartsWith(start, "<!doctype html") || StartsWith(start, "<html") ||
         start.find("<head") != std::string::npos || start.find("<body") != std::string::npos;
}

std::string HtmlTitle(std::string_view body) {
  const std::string lower = ToLower(body);
  const size_t open = lower.find("<title>");
  const size_t close = lower.find("</title>");
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  return OneLine(body.substr(open + 7, close - open - 7));
}

std::string StatusText(int status) {
  switch (status) {
    case 400:
      return "400 Bad Request";
    case 401:
      return "401 Unauthorized";
    case 403:
      return "403 Forbidden";
    case 404:
      return "404 Not Found";
    case 429:
      return "429 Too Many Requests";
    case 500:
      return "500 Internal Server Error";
    case 502:
      return "502 Bad Gateway";
    case 503:
      return "503 Service Unavailable";
    case 504:
      return "504 Gateway Timeout";
    default:
      return std::to_string(status);
  }
}

std::string WithServerMessage(const std::string& text, const std::string& server) {
  return server.empty() ? text : text + ": " + server;
}

}  // namespace

std::string Redact(std::string text, const std::vector<const Secret*>& secrets) {
  for (const Secret* secret : secrets) {
    if (secret == nullptr || secret->empty()) continue;
    const std::string& value = secret->Reveal();
    for (size_t pos = text.find(value); pos != std::string::npos; pos = text.find(value, pos)) {
      text.replace(pos, value.size(), "<redacted>");
      pos += 10;
    }
  }
  return text;
}

std::string ServerMessage(const http::Response& response,
                          const std::vector<const Secret*>& secrets) {
  const std::string_view body = TrimWhitespace(response.body);
  if (body.empty()) return {};
  std::string message;
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) {
    // Keystone (v2.0 and v3): {"error": {"code": 401, "title": "...", "message": "..."}}.
    if (const nlohmann::json* error = ObjectMember(json, "error")) {
      message = OptionalString(*error, "message");
      if (message.empty()) message = OptionalString(*error, "title");
    }
    if (message.empty()) message = OptionalString(json, "message");
    if (message.empty()) message = OneLine(body);
  } else if (LooksLikeHtml(body)) {
    const std::string title = HtmlTitle(body);
    message = title.empty() ? "an HTML error page" : "an HTML error page titled '" + title + "'";
  } else {
    message = OneLine(body);
  }
  return Truncate(Redact(std::move(message), secrets));
}

Status CheckIdentityStatus(const http::Response& response, const IdentityContext& context) {
  const int status = response.status;
  if (status >= 200 && status <= 299) return OkStatus();
  const std::string server = ServerMessage(response, context.secrets);
  const std::string who = context.user.empty() ? "" : " for user '" + context.user + "'";
  Error error;
  error.http_status = status;
  switch (status) {
    case 401:
      error.code = ErrorCode::kUnauthorized;
      error.message =
          WithServerMessage("authentication failed" + who + " at " + context.url, server);
      break;
    case 403:
      error.code = ErrorCode::kForbidden;
      error.message = WithServerMessage(
          "the identity service at " + context.url + " refused access" + who, server);
      break;
    case 400:
      error.code = ErrorCode::kConfig;
      error.message = WithServerMessage(
          "the identity service at " + context.url + " rejected the request (400 Bad Request)",
          server);
      break;
    case 404:
      error.code = ErrorCode::kConfig;
      error.message = WithServerMessage(
          context.url + " answered 404 Not Found; check the auth URL (OS_AUTH_URL)", server);
      break;
    case 429:
      error.code = ErrorCode::kTooManyRequests;
      error.message = WithServerMessage(
          "the identity service at " + context.url + " keeps answering 429 Too Many Requests",
          server);
      break;
    default:
      error.code = status >= 500 ? ErrorCode::kServerError : ErrorCode::kBadResponse;
      error.message = WithServerMessage(
          "the identity service at " + context.url + " answered " + StatusText(status), server);
      break;
  }
  return error;
}

Error IdentityTransportError(const Error& error, const std::string& url) {
  Error out = error;
  switch (error.code) {
    case ErrorCode::kConnectionFailed:
    case ErrorCode::kTlsError:
      out.message = "cannot reach the identity service at " + url + ": " + error.message;
      break;
    case ErrorCode::kTimeout:
      out.message = "no answer in time from the identity service at " + url + ": " + error.message;
      break;
    default:  // e.g. a body over the size cap: the service answered, but not usably
      out.message = "unusable response from the identity service at " + url + ": " + error.message;
      break;
  }
  return out;
}

Status CheckIssuedSession(const Session& session, bool check_storage_url) {
  // The token goes into an X-Auth-Token header of every request: control characters would
  // split the header, and no identity service issues tokens of this size.
  constexpr size_t kMaxToken = size_t{64} * 1024;
  const std::string& token = session.token.Reveal();
  if (token.size() > kMaxToken) {
    return MakeError(ErrorCode::kBadResponse,
                     "the identity service issued a token of " + std::to_string(token.size()) +
                         " bytes, more than the " + std::to_string(kMaxToken) + " accepted");
  }
  if (!std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 0x7f; })) {
    // The token itself is never quoted.
    return MakeError(ErrorCode::kBadResponse,
                     "the identity service issued a token with spaces, control characters or "
                     "non-ASCII bytes, which cannot be sent in a header");
  }
  if (!check_storage_url) return OkStatus();
  constexpr size_t kMaxUrl = size_t{8} * 1024;
  const std::string& url = session.storage_url;
  const bool printable =
      std::all_of(url.begin(), url.end(), [](char c) { return c > ' ' && c < 0x7f; });
  const std::string lower = ToLower(url.substr(0, 8));
  if (url.size() > kMaxUrl || !printable ||
      !(StartsWith(lower, "http://") || StartsWith(lower, "https://"))) {
    return MakeError(
        ErrorCode::kBadResponse,
        "the object-store endpoint the identity service gave is not a usable "
        "http(s) URL" +
            (printable && url.size() <= 200 ? " ('" + url + "')"
                                            : " (" + std::to_string(url.size()) + " bytes)") +
            "; check the service catalog, or set OS_STORAGE_URL");
  }
  return OkStatus();
}

Result<http::Response> PostTokenRequest(IdentityClient& identity, std::string body,
                                        const IdentityContext& context) {
  http::Request request;
  request.method = http::Method::kPost;
  request.url = context.url;
  request.headers.Set("Content-Type", "application/json");
  request.headers.Set("Accept", "application/json");
  request.body = std::move(body);
  Result<http::Response> response = identity.SendTokenRequest(request, "POST " + context.url);
  if (!response) return IdentityTransportError(response.error(), context.url);
  if (Status status = CheckIdentityStatus(*response, context); !status) return status.error();
  return response;
}

Result<nlohmann::json> ParseJsonBody(const http::Response& response, std::string_view what) {
  nlohmann::json json = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    std::string seen = LooksLikeHtml(response.body)            ? "an HTML page"
                       : TrimWhitespace(response.body).empty() ? "an empty body"
                                                               : "malformed JSON";
    return MakeError(ErrorCode::kBadResponse,
                     std::string(what) + " is not a JSON object (got " + seen + ")",
                     response.status);
  }
  return json;
}

const nlohmann::json* ObjectMember(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return nullptr;
  return &*it;
}

Result<std::string> RequiredString(const nlohmann::json& object, std::string_view key,
                                   std::string_view path) {
  std::string value = OptionalString(object, key);
  if (value.empty()) {
    return MakeError(ErrorCode::kBadResponse,
                     "the identity service's response lacks " + std::string(path));
  }
  return value;
}

std::string OptionalString(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Result<std::optional<WallTime>> OptionalTime(const nlohmann::json& object, std::string_view key,
                                             std::string_view path) {
  if (!object.is_object()) return std::optional<WallTime>();
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<WallTime>();
  if (!it->is_string()) {
    return MakeError(ErrorCode::kBadResponse,
                     "the identity service's " + std::string(path) + " is not a time string");
  }
  Result<WallTime> time = ParseIso8601(it->get<std::string>());
  if (!time) {
    return MakeError(ErrorCode::kBadResponse, "the identity service's " + std::string(path) +
                                                  " is not a valid time: " + time.error().message);
  }
  return std::optional<WallTime>(*time);
}

Result<std::optional<WallTime::duration>> TokenLifetime(std::optional<WallTime> expires,
                                                        std::optional<WallTime> issued,
                                                        WallTime now) {
  if (!expires) return std::optional<WallTime::duration>();
  const WallTime start = issued.value_or(now);
  const WallTime::duration lifetime = *expires - start;
  if (lifetime <= WallTime::duration::zero()) {
    return MakeError(ErrorCode::kBadResponse, "the identity service issued a token that expires (" +
                                                  FormatIso8601(*expires) +
                                                  ") before it was issued (" +
                                                  FormatIso8601(start) + "); check the clocks");
  }
  return std::optional<WallTime::duration>(lifetime);
}

}  // namespace swiftfs::auth
