// AuthenticatedSender: X-Auth-Token on every request, one re-authentication and one resend
// on a 401. See the header for the contract.

#include "swiftfs/auth/authenticated_sender.h"

#include "auth/static_token_provider.h"

namespace swiftfs::auth {

namespace {

// "HEAD /v1/AUTH_x/c" for messages: the path of the URL, never headers.
std::string Describe(const http::Request& request) {
  std::string_view url = request.url;
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  return std::string(http::MethodName(request.method)) + " " +
         std::string(path == std::string_view::npos ? "/" : url.substr(path));
}

// Builds the request for `session` (once), adds the token and sends it. `what` receives
// the request's description for messages.
Result<http::Response> SendWith(http::HttpClient& http,
                                const std::function<http::Request(const Session&)>& build,
                                const Session& session, std::string& what) {
  http::Request request = build(session);
  what = Describe(request);
  request.headers.Set("X-Auth-Token", session.token.Reveal());
  return http.Send(request);
}

}  // namespace

AuthenticatedSender::AuthenticatedSender(http::HttpClient& http, TokenProvider& tokens,
                                         Logger& logger)
    : http_(http), tokens_(tokens), logger_(logger) {}

Result<http::Response> AuthenticatedSender::Send(
    const std::function<http::Request(const Session&)>& build) {
  Result<Session> session = tokens_.Current();
  if (!session) return session.error();
  std::string what;
  Result<http::Response> response = SendWith(http_, build, *session, what);
  if (!response || response->status != 401) return response;

  tokens_.Invalidate(*session);
  if (!tokens_.CanRenew()) {
    return MakeError(ErrorCode::kUnauthorized, kPreauthenticatedTokenRejected, 401, what);
  }
  logger_.Debug("Swift answered 401 to " + what + " with token " +
                TokenFingerprint(session->token) + "; renewing and resending once");
  Result<Session> renewed = tokens_.Current();
  if (!renewed) return renewed.error();
  response = SendWith(http_, build, *renewed, what);
  if (!response || response->status != 401) return response;

  // A token fresh from the identity service was refused too: the storage URL and the
  // identity service disagree (wrong region or cluster?); retrying further cannot help.
  tokens_.Invalidate(*renewed);
  return MakeError(ErrorCode::kUnauthorized,
                   "Swift rejected a newly issued token (HTTP 401) for " + what +
                       "; check that the storage URL belongs to this identity service",
                   401, what);
}

}  // namespace swiftfs::auth
