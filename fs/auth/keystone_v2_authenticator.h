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
  // DELETE {base}/tokens/{id}. Many clouds let only admins do this; a refusal is expected
  // and logged at debug level only. The URL holds the token, so the request carries a
  // log_url naming the token by its fingerprint: log lines and errors never show it.
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
