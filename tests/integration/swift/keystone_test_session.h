#pragma once
// KeystoneTestSession: the smallest TokenProvider the swift integration tests need: a
// Keystone v3 password token for the OS_* environment, and the object-store endpoint of
// OS_REGION_NAME / OS_INTERFACE from its catalog. It keeps the swift tests independent
// of the production providers in fs/auth (which have their own tests).

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "swiftfs/auth/token_provider.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::testing {

struct KeystoneTestConfig {
  std::string auth_url;  // OS_AUTH_URL, ending in /v3
  std::string username, password, project_name;
  std::string user_domain = "Default", project_domain = "Default";
  std::string region, interface = "public";

  // From OS_* variables; nullopt when OS_AUTH_URL is not set (tests then skip).
  static std::optional<KeystoneTestConfig> FromEnvironment();
};

class KeystoneTestSession final : public auth::TokenProvider {
 public:
  KeystoneTestSession(KeystoneTestConfig config, http::HttpClient& http)
      : config_(std::move(config)), http_(http) {}

  Result<auth::Session> Current() override;
  void Invalidate(const auth::Session& rejected) override;
  bool CanRenew() const override { return true; }
  void Revoke() override {}
  Result<auth::SessionDescription> Describe() override;

 private:
  Result<auth::Session> Authenticate();

  const KeystoneTestConfig config_;
  http::HttpClient& http_;
  std::mutex mu_;
  std::optional<auth::Session> session_;  // GUARDED_BY(mu_)
  uint64_t generation_ = 0;               // GUARDED_BY(mu_)
};

}  // namespace swiftfs::testing
