#pragma once
// Keystone v2.0, as its API reference (and OVH's "Managing tokens" guide) describes it:
// POST {base}/tokens with {"auth": {"passwordCredentials": {"username"|"userId", "password"},
// "tenantName"|"tenantId"}} (never both tenant fields: v2.0 answers 400), token in
// access.token.id, expiry in access.token.expires, endpoints in access.serviceCatalog[]
// {type, endpoints[]{region, publicURL, internalURL, adminURL}}. The token method
// ({"auth": {"token": {"id"}}}) is supported too.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/authenticator.h"
#include "auth/identity_client.h"
#include "swiftfs/auth/auth_config.h"

namespace swiftfs::auth {

// The token request body for `config`, or kConfig naming the variable that is missing.
Result<nlohmann::json> BuildKeystoneV2AuthRequest(const AuthConfig& config);

class KeystoneV2Authenticator final : public Authenticator {
 public:
  // `base_url` is the versioned identity URL (".../v2.0", no trailing '/').
  static Result<std::unique_ptr<Authenticator>> Create(const AuthConfig& config,
                                                       std::string base_url,
                                                       IdentityClient identity);

  Result<AuthResult> Authenticate() override;
  // DELETE {base}/tokens/{id}, best effort: many clouds let only admins do this, so any
  // answer (a 401/403 refusal included) is only logged at debug level and a transport error
  // is dropped. The token is in the URL path, so the request's log_url carries its
  // fingerprint instead and the name given to the identity client a placeholder: no log
  // line or error message shows the token.
  void Revoke(const Secret& token) override;

 private:
  KeystoneV2Authenticator(const AuthConfig& config, std::string base_url, IdentityClient identity)
      : config_(config), base_url_(std::move(base_url)), identity_(identity) {}

  Result<AuthResult> ParseResponse(const http::Response& response) const;

  const AuthConfig config_;
  const std::string base_url_;
  IdentityClient identity_;
};

}  // namespace swiftfs::auth
