#include "auth/swift_v1_authenticator.h"

#include <charconv>

#include "auth/identity_response.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::auth {

namespace {

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// X-Auth-Token-Expires: whole or fractional seconds from now ("86399", "3599.5").
std::optional<WallTime::duration> ParseExpiresIn(std::string_view text) {
  text = TrimWhitespace(text);
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || !(seconds > 0)) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<WallTime::duration>(std::chrono::duration<double>(seconds));
}

// The account part of a storage URL ("AUTH_test" of ".../v1/AUTH_test").
std::string AccountOf(const std::string& storage_url) {
  const size_t slash = storage_url.rfind('/');
  return slash == std::string::npos ? std::string() : storage_url.substr(slash + 1);
}

}  // namespace

Result<std::unique_ptr<Authenticator>> SwiftV1Authenticator::Create(const AuthConfig& config,
                                                                    IdentityClient identity) {
  if (config.username.empty()) {
    return MakeError(ErrorCode::kConfig,
                     "Swift v1 authentication needs a user ('account:user'): set OS_USERNAME or "
                     "-o username=");
  }
  if (config.password.empty()) {
    return MakeError(ErrorCode::kConfig,
                     "Swift v1 authentication needs a key: set OS_PASSWORD or -o password_file=");
  }
  return std::unique_ptr<Authenticator>(new SwiftV1Authenticator(config, identity));
}

Result<AuthResult> SwiftV1Authenticator::Authenticate() {
  http::Request request;
  request.method = http::Method::kGet;
  request.url = WithoutTrailingSlash(config_.auth_url);
  // tempauth and swauth read either spelling; some older gateways only the X-Storage one.
  // Sending both reaches every implementation in one request (same server, same secret).
  request.headers.Set("X-Auth-User", config_.username);
  request.headers.Set("X-Auth-Key", config_.password.Reveal());
  request.headers.Set("X-Storage-User", config_.username);
  request.headers.Set("X-Storage-Pass", config_.password.Reveal());

  const IdentityContext context{request.url, config_.username, {&config_.password}};
  Result<http::Response> response = identity_.SendTokenRequest(request, "GET " + request.url);
  if (!response) return IdentityTransportError(response.error(), request.url);
  if (Status status = CheckIdentityStatus(*response, context); !status) return status.error();

  std::optional<std::string> token = response->headers.Get("X-Auth-Token");
  if (!token || token->empty()) token = response->headers.Get("X-Storage-Token");
  if (!token || token->empty()) {
    return MakeError(
        ErrorCode::kBadResponse,
        "the Swift v1 auth response from " + request.url + " lacks the X-Auth-Token header",
        response->status);
  }
  std::optional<std::string> storage_url = response->headers.Get("X-Storage-Url");
  if (!storage_url || storage_url->empty()) {
    return MakeError(
        ErrorCode::kBadResponse,
        "the Swift v1 auth response from " + request.url + " lacks the X-Storage-Url header",
        response->status);
  }

  AuthResult result;
  result.session.token = Secret(std::move(*token));
  result.session.storage_url = WithoutTrailingSlash(*storage_url);
  if (auto expires = response->headers.Get("X-Auth-Token-Expires")) {
    result.lifetime = ParseExpiresIn(*expires);
    if (!result.lifetime) {
      identity_.logger().Warning("ignoring an unreadable X-Auth-Token-Expires from " + request.url +
                                 ": '" + expires->substr(0, 32) + "'");
    }
  }
  SessionDescription& d = result.description;
  d.auth_version = "v1";
  d.auth_method = "password";
  d.user = config_.username;
  d.project = AccountOf(result.session.storage_url);
  d.storage_url = result.session.storage_url;
  return result;
}

void SwiftV1Authenticator::Revoke(const Secret& token) {
  identity_.logger().Debug("Swift v1 has no token revocation; token " + TokenFingerprint(token) +
                           " will expire on its own");
}

}  // namespace swiftfs::auth
