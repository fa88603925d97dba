#pragma once
// AuthenticatedSender: sends Swift requests with the current token and handles the one
// case every caller must handle the same way: a 401. It invalidates the token that was
// rejected (only if it is still the current one, so a burst of 401s costs one re-auth),
// obtains a new session and resends once. A second 401, or a 401 with a token that cannot
// be renewed (pre-authenticated), is reported as kUnauthorized with a clear message.

#include <functional>

#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/log.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::auth {

class AuthenticatedSender {
 public:
  AuthenticatedSender(http::HttpClient& http, TokenProvider& tokens, Logger& logger);

  // `build` makes the request for a session (URL from session.storage_url); the sender adds
  // X-Auth-Token. It is called once, or twice after a 401. Returns the final response for
  // any status other than 401, kUnauthorized for a 401 that survived a renewal, and the
  // TokenProvider's or transport's error otherwise. Thread-safe.
  Result<http::Response> Send(const std::function<http::Request(const Session&)>& build);

 private:
  http::HttpClient& http_;
  TokenProvider& tokens_;
  Logger& logger_;
};

}  // namespace swiftfs::auth
