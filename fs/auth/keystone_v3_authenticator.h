#pragma once
// Keystone v3: POST {base}/auth/tokens with the password, application_credential or token
// method; the token comes back in the X-Subject-Token header, its expiry in
// token.expires_at and the endpoints in token.catalog[].endpoints[]{interface, region_id,
// url}. Application credentials carry their own project, so no scope is sent with them.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/authenticator.h"
#include "auth/identity_client.h"
#include "swiftfs/auth/auth_config.h"

namespace swiftfs::auth {

// The token request body for `config`, or kConfig naming the variable that is missing.
// Used by the authenticator and, without I/O, by config validation.
Result<nlohmann::json> BuildKeystoneV3AuthRequest(const AuthConfig& config);

class KeystoneV3Authenticator final : public Authenticator {
 public:
  // `base_url` is the versioned identity URL (".../v3", no trailing '/').
  // Errors: kConfig when `config` lacks what its method needs.
  static Result<std::unique_ptr<Authenticator>> Create(const AuthConfig& config,
                                                       std::string base_url,
                                                       IdentityClient identity);

  Result<AuthResult> Authenticate() override;
  // DELETE {base}/auth/tokens with X-Auth-Token and X-Subject-Token both the token.
  void Revoke(const Secret& token) override;

 private:
  KeystoneV3Authenticator(const AuthConfig& config, std::string base_url, IdentityClient identity)
      : config_(config), base_url_(std::move(base_url)), identity_(identity) {}

  Result<AuthResult> ParseResponse(const http::Response& response) const;

  const AuthConfig config_;
  const std::string base_url_;
  IdentityClient identity_;
};

}  // namespace swiftfs::auth
