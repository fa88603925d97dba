#pragma once
// Shared pieces of the auth integration tests: environment lookups that skip a test with a
// clear message when the local Swift + Keystone environment is absent, and a real Swift
// request (HEAD of the account) through AuthenticatedSender and CurlHttpClient.

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "swiftfs/auth/authenticated_sender.h"
#include "swiftfs/auth/token_provider_factory.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/http/curl_http_client.h"

namespace swiftfs::testing {

inline std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// Skips the calling test unless every variable is set (use as: SKIP_UNLESS_ENV(...)).
#define SKIP_UNLESS_ENV(...)                                                    \
  for (const char* name : {__VA_ARGS__}) {                                      \
    if (!::swiftfs::testing::Env(name)) {                                       \
      GTEST_SKIP() << name                                                      \
                   << " is not set; run `eval \"$(scripts/local-swift env)\"` " \
                      "(scripts/test does) to run the auth integration tests";  \
    }                                                                           \
  }

class AuthIntegrationTest : public ::testing::Test {
 protected:
  AuthIntegrationTest() : http_(http::CurlOptions{}, logger_) {}

  Result<std::unique_ptr<auth::TokenProvider>> Make(const auth::AuthConfig& config) {
    return auth::MakeTokenProvider(config, http_, clock_, logger_, counters_);
  }

  // The configuration the environment (OS_* variables) describes, plus `options`.
  auth::AuthConfig FromEnvironment(const std::map<std::string, std::string>& options = {}) {
    auto config = auth::LoadAuthConfig(auth::SystemEnvironment(), options, logger_);
    EXPECT_TRUE(config.ok()) << config.error().ToString();
    return config.ok() ? std::move(*config) : auth::AuthConfig{};
  }

  // HEAD {storage_url} through AuthenticatedSender: the real proof that a token works.
  Result<http::Response> HeadAccount(auth::TokenProvider& tokens) {
    auth::AuthenticatedSender sender(http_, tokens, logger_);
    return sender.Send([](const auth::Session& session) {
      http::Request request;
      request.method = http::Method::kHead;
      request.url = session.storage_url;
      request.timeout = std::chrono::seconds(30);
      return request;
    });
  }

  void ExpectAccountReachable(auth::TokenProvider& tokens) {
    auto response = HeadAccount(tokens);
    ASSERT_TRUE(response.ok()) << response.error().ToString();
    EXPECT_GE(response->status, 200);
    EXPECT_LE(response->status, 299);
    EXPECT_TRUE(response->headers.Has("X-Account-Object-Count"));
  }

  void ExpectNoSecretsLogged(const std::vector<std::string>& secrets) {
    for (const auto& secret : secrets) {
      if (!secret.empty()) {
        EXPECT_FALSE(logger_.Contains(secret)) << "a secret was logged";
      }
    }
  }

  CapturingLogger logger_{LogLevel::kDebug};
  http::CurlHttpClient http_;
  SystemClock clock_;
  Counters counters_;
};

}  // namespace swiftfs::testing
