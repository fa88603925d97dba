#pragma once
// Swift v1 authentication (tempauth, swauth and the clouds that kept it): GET {auth_url}
// with the user ("account:user") and key in headers; the answer's headers carry the
// storage URL (X-Storage-Url), the token (X-Auth-Token, or its older twin X-Storage-Token)
// and, when the middleware says, the seconds it stays valid (X-Auth-Token-Expires).

#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "auth/identity_client.h"
#include "swiftfs/auth/auth_config.h"

namespace swiftfs::auth {

class SwiftV1Authenticator final : public Authenticator {
 public:
  // Errors: kConfig without a user or key.
  static Result<std::unique_ptr<Authenticator>> Create(const AuthConfig& config,
                                                       IdentityClient identity);

  Result<AuthResult> Authenticate() override;
  // v1 has no revocation call; tokens simply expire.
  void Revoke(const Secret& token) override;

 private:
  SwiftV1Authenticator(const AuthConfig& config, IdentityClient identity)
      : config_(config), identity_(identity) {}

  const AuthConfig config_;
  IdentityClient identity_;
};

}  // namespace swiftfs::auth
