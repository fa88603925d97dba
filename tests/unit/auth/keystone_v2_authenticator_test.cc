#include "auth/keystone_v2_authenticator.h"

#include <gtest/gtest.h>

#include "unit/auth/authenticator_fixture.h"

namespace swiftfs::testing {
namespace {

using auth::AuthConfig;
using auth::AuthMethod;
using nlohmann::json;

class KeystoneV2Test : public AuthenticatorTest<auth::KeystoneV2Authenticator> {
 protected:
  KeystoneV2Test() : AuthenticatorTest(kV2Url) {}
};

// The request of OVH's "Managing tokens" guide, byte for byte in meaning.
TEST_F(KeystoneV2Test, PasswordWithTenantNameIsTheGuidesRequest) {
  http_.Enqueue(V2TokenResponse("tok-1"));
  ASSERT_TRUE(Run(V2PasswordConfig()).ok());
  const http::Request request = http_.Requests().at(0);
  EXPECT_EQ(request.method, http::Method::kPost);
  EXPECT_EQ(request.url, "http://keystone.test:5000/v2.0/tokens");
  EXPECT_EQ(request.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {"tenantName": "demo",
      "passwordCredentials": {"username": "demo", "password": "pw-S3cr3t-9f1c"}}})"));
}

TEST_F(KeystoneV2Test, UserIdAndTenantIdNeverBothTenantFields) {
  AuthConfig config = V2PasswordConfig();
  config.username.clear();
  config.user_id = "u1";
  config.project_id = "p1";  // project_name is set too: only the id is sent
  http_.Enqueue(V2TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {"tenantId": "p1",
      "passwordCredentials": {"userId": "u1", "password": "pw-S3cr3t-9f1c"}}})"));
}

TEST_F(KeystoneV2Test, TokenMethod) {
  AuthConfig config = V2PasswordConfig();
  config.method = AuthMethod::kToken;
  config.token = Secret(kUserToken);
  http_.Enqueue(V2TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_EQ(
      SentBody(),
      json::parse(R"({"auth": {"tenantName": "demo", "token": {"id": "usertoken-5d2b0e"}}})"));
}

TEST_F(KeystoneV2Test, ApplicationCredentialsNeedV3) {
  AuthConfig config = V2PasswordConfig();
  config.method = AuthMethod::kApplicationCredential;
  auto result = Run(config);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConfig);
}

TEST_F(KeystoneV2Test, ParsesAccessTokenCatalogAndUser) {
  http_.Enqueue(V2TokenResponse("tok-1", "2026-01-01T06:00:00Z"));
  auto result = Run(V2PasswordConfig());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->session.token.Reveal(), "tok-1");
  EXPECT_EQ(result->session.storage_url, kSwiftOne);
  // issued_at (00:00, no zone: UTC) to expires (06:00Z).
  EXPECT_EQ(*result->lifetime, std::chrono::hours(6));
  EXPECT_EQ(result->description.auth_version, "v2.0");
  EXPECT_EQ(result->description.user, "demo");
  EXPECT_EQ(result->description.project, "demo");
  EXPECT_EQ(result->description.region, "RegionOne");
}

TEST_F(KeystoneV2Test, ExpiryWithOffsetAndNull) {
  json body = V2TokenBody("tok-1", "2026-01-01T02:00:00+01:00");
  body["access"]["token"].erase("issued_at");
  http_.Enqueue(Reply(200, body.dump()));
  auto offset = Run(V2PasswordConfig());
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*offset->lifetime, std::chrono::hours(1));

  http_.Enqueue(V2TokenResponse("tok-2", nullptr));
  auto never = Run(V2PasswordConfig());
  ASSERT_TRUE(never.ok());
  EXPECT_FALSE(never->lifetime.has_value());
}

TEST_F(KeystoneV2Test, SelectsRegionAndInterfaceFromTheUrlFields) {
  AuthConfig config = V2PasswordConfig();
  config.region = "RegionTwo";
  config.interface = auth::Interface::kAdmin;
  http_.Enqueue(V2TokenResponse("tok-1"));
  auto result = Run(config);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->session.storage_url, "http://10.0.1.2:8081/v1/AUTH_p1");
}

TEST_F(KeystoneV2Test, SeveralRegionsWithoutChoiceListsThem) {
  AuthConfig config = V2PasswordConfig();
  config.region.clear();
  http_.Enqueue(V2TokenResponse("tok-1"));
  auto result = Run(config);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConfig);
  EXPECT_NE(result.error().message.find("'RegionOne', 'RegionTwo'"), std::string::npos);
}

TEST_F(KeystoneV2Test, V2ErrorBodyMessageIsShown) {
  http_.Enqueue(Reply(401, R"({"error": {"message": "Invalid user / password", "code": 401,
                                          "title": "Unauthorized"}})"));
  auto result = Run(V2PasswordConfig());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(result.error().message,
            "authentication failed for user 'demo' at http://keystone.test:5000/v2.0/tokens: "
            "Invalid user / password");

  http_.Enqueue(Reply(
      400,
      R"({"error": {"message": "Expecting to find either tenantId or tenantName, not both", "code": 400, "title": "Bad Request"}})"));
  auto both = Run(V2PasswordConfig());
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, ErrorCode::kConfig);
  EXPECT_NE(both.error().message.find("not both"), std::string::npos);
}

TEST_F(KeystoneV2Test, MissingFieldsNameThePath) {
  json body = V2TokenBody("tok-1");
  body["access"]["token"].erase("id");
  http_.Enqueue(Reply(200, body.dump()));
  auto no_id = Run(V2PasswordConfig());
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(no_id.error().message.find("access.token.id"), std::string::npos);

  http_.Enqueue(Reply(200, R"({"something": "else"})"));
  auto no_access = Run(V2PasswordConfig());
  ASSERT_FALSE(no_access.ok());
  EXPECT_NE(no_access.error().message.find("lacks access"), std::string::npos);

  body = V2TokenBody("tok-1");
  body["access"]["serviceCatalog"] = json::array();
  http_.Enqueue(Reply(200, body.dump()));
  auto unscoped = Run(V2PasswordConfig());
  ASSERT_FALSE(unscoped.ok());
  EXPECT_NE(unscoped.error().message.find("OS_TENANT_NAME"), std::string::npos);
}

TEST_F(KeystoneV2Test, RevokeDeletesTokensIdAndToleratesRefusalQuietly) {
  CapturingLogger info_logger(LogLevel::kInfo);
  auto authenticator = auth::KeystoneV2Authenticator::Create(
      V2PasswordConfig(), kV2Url, auth::IdentityClient(http_, clock_, info_logger, counters_));
  ASSERT_TRUE(authenticator.ok());
  http_.Enqueue(Reply(403, R"({"error": {"message": "You are not authorized", "code": 403}})"));
  (*authenticator)->Revoke(Secret("tok-1"));
  const http::Request request = http_.Requests().at(0);
  EXPECT_EQ(request.method, http::Method::kDelete);
  EXPECT_EQ(request.url, "http://keystone.test:5000/v2.0/tokens/tok-1");
  EXPECT_EQ(request.headers.Get("X-Auth-Token"), "tok-1");
  EXPECT_TRUE(info_logger.Lines().empty());  // a refusal is no warning
}

TEST_F(KeystoneV2Test, RevocationKeepsTheTokenOutOfLogsAtDebugLevel) {
  auto authenticator =
      auth::KeystoneV2Authenticator::Create(V2PasswordConfig(), kV2Url, Identity());
  ASSERT_TRUE(authenticator.ok());
  http_.Enqueue(Reply(403, R"({"error": {"message": "You are not authorized", "code": 403}})"));
  (*authenticator)->Revoke(Secret("tok-1"));
  ASSERT_EQ(http_.RequestCount(), 1u);
  const http::Request request = http_.Requests().at(0);
  EXPECT_EQ(request.url, "http://keystone.test:5000/v2.0/tokens/tok-1");
  // The HTTP layer logs log_url instead of the URL, which holds the token.
  EXPECT_EQ(request.log_url.find("tok-1"), std::string::npos);
  EXPECT_NE(request.log_url.find(TokenFingerprint(Secret("tok-1"))), std::string::npos);
  EXPECT_FALSE(logger_.Contains("tok-1"));
}

}  // namespace
}  // namespace swiftfs::testing
