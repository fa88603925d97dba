#include "auth/keystone_v3_authenticator.h"

#include <gtest/gtest.h>

#include "unit/auth/authenticator_fixture.h"

namespace swiftfs::testing {
namespace {

using auth::AuthConfig;
using auth::AuthMethod;
using nlohmann::json;

class KeystoneV3Test : public AuthenticatorTest<auth::KeystoneV3Authenticator> {
 protected:
  KeystoneV3Test() : AuthenticatorTest(kV3Url) {}
};

TEST_F(KeystoneV3Test, PasswordByUserNameSendsTheDocumentedRequest) {
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(V3PasswordConfig()).ok());
  const http::Request request = http_.Requests().at(0);
  EXPECT_EQ(request.method, http::Method::kPost);
  EXPECT_EQ(request.url, "http://keystone.test:5000/v3/auth/tokens");
  EXPECT_EQ(request.headers.Get("Content-Type"), "application/json");
  EXPECT_EQ(request.headers.Get("Accept"), "application/json");
  EXPECT_FALSE(request.headers.Has("X-Auth-Token"));
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {
      "identity": {"methods": ["password"],
                   "password": {"user": {"name": "demo", "domain": {"name": "Default"},
                                         "password": "pw-S3cr3t-9f1c"}}},
      "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}})"));
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 1u);
}

TEST_F(KeystoneV3Test, PasswordByUserIdAndProjectIdSendNoDomains) {
  AuthConfig config = V3PasswordConfig();
  config.username.clear();
  config.user_id = "u1";
  config.project_id = "p1";
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {
      "identity": {"methods": ["password"],
                   "password": {"user": {"id": "u1", "password": "pw-S3cr3t-9f1c"}}},
      "scope": {"project": {"id": "p1"}}}})"));
}

TEST_F(KeystoneV3Test, DomainIdsAndProjectDomainDefaultingToUserDomain) {
  AuthConfig config = V3PasswordConfig();
  config.user_domain_name.clear();
  config.user_domain_id = "default";
  config.project_domain_name.clear();
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  const json body = SentBody();
  EXPECT_EQ(body["auth"]["identity"]["password"]["user"]["domain"], json({{"id", "default"}}));
  EXPECT_EQ(body["auth"]["scope"]["project"]["domain"], json({{"id", "default"}}));
}

TEST_F(KeystoneV3Test, NoProjectSendsNoScope) {
  AuthConfig config = V3PasswordConfig();
  config.project_name.clear();
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_FALSE(SentBody()["auth"].contains("scope"));
}

TEST_F(KeystoneV3Test, MissingDomainsAndUserAreConfigErrorsNamingTheVariable) {
  AuthConfig config = V3PasswordConfig();
  config.user_domain_name.clear();
  auto result = Run(config);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConfig);
  EXPECT_NE(result.error().message.find("OS_USER_DOMAIN_NAME"), std::string::npos);

  config = V3PasswordConfig();
  config.user_domain_name.clear();
  config.user_id = "u1";  // an id needs no domain, but the project name still does
  config.project_domain_name.clear();
  result = Run(config);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("OS_PROJECT_DOMAIN_NAME"), std::string::npos);

  config = V3PasswordConfig();
  config.username.clear();
  result = Run(config);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("OS_USERNAME or OS_USER_ID"), std::string::npos);

  config = V3PasswordConfig();
  config.password = Secret();
  result = Run(config);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("OS_PASSWORD"), std::string::npos);
  EXPECT_EQ(http_.RequestCount(), 0u);
}

TEST_F(KeystoneV3Test, ApplicationCredentialByIdSendsNoScope) {
  AuthConfig config = V3PasswordConfig();  // project set, but must not be sent
  config.method = AuthMethod::kApplicationCredential;
  config.application_credential_id = "ac1";
  config.application_credential_secret = Secret(kAppSecret);
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {"identity": {
      "methods": ["application_credential"],
      "application_credential": {"id": "ac1", "secret": "appsecret-77aa21"}}}})"));
}

TEST_F(KeystoneV3Test, ApplicationCredentialByNameNamesItsUser) {
  AuthConfig config = V3PasswordConfig();
  config.method = AuthMethod::kApplicationCredential;
  config.password = Secret();
  config.application_credential_name = "swiftfs";
  config.application_credential_secret = Secret(kAppSecret);
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {"identity": {
      "methods": ["application_credential"],
      "application_credential": {"name": "swiftfs", "secret": "appsecret-77aa21",
                                 "user": {"name": "demo", "domain": {"name": "Default"}}}}}})"));

  config.application_credential_secret = Secret();
  auto missing = Run(config);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("OS_APPLICATION_CREDENTIAL_SECRET"), std::string::npos);
}

TEST_F(KeystoneV3Test, TokenMethodTradesTheTokenForAScopedOne) {
  AuthConfig config = V3PasswordConfig();
  config.method = AuthMethod::kToken;
  config.password = Secret();
  config.token = Secret(kUserToken);
  http_.Enqueue(V3TokenResponse("tok-1"));
  ASSERT_TRUE(Run(config).ok());
  EXPECT_EQ(SentBody(), json::parse(R"({"auth": {
      "identity": {"methods": ["token"], "token": {"id": "usertoken-5d2b0e"}},
      "scope": {"project": {"name": "demo", "domain": {"name": "Default"}}}}})"));
}

TEST_F(KeystoneV3Test, TakesTokenFromHeaderAndPublicEndpointOfTheRegion) {
  http_.Enqueue(V3TokenResponse("tok-1"));
  auto result = Run(V3PasswordConfig());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->session.token.Reveal(), "tok-1");
  EXPECT_EQ(result->session.storage_url, kSwiftOne);
  ASSERT_TRUE(result->lifetime.has_value());
  EXPECT_EQ(*result->lifetime, std::chrono::hours(1));
  EXPECT_EQ(result->description.auth_version, "v3");
  EXPECT_EQ(result->description.auth_method, "password");
  EXPECT_EQ(result->description.user, "demo (domain Default)");
  EXPECT_EQ(result->description.project, "demo (domain Default)");
  EXPECT_EQ(result->description.region, "RegionOne");
  EXPECT_EQ(result->description.interface, "public");
}

TEST_F(KeystoneV3Test, RegionTwoAndInternalInterface) {
  AuthConfig config = V3PasswordConfig();
  config.region = "RegionTwo";
  http_.Enqueue(V3TokenResponse("tok-1"));
  auto two = Run(config);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->session.storage_url, kSwiftTwo);

  config.region = "RegionOne";
  config.interface = auth::Interface::kInternal;
  http_.Enqueue(V3TokenResponse("tok-2"));
  auto internal = Run(config);
  ASSERT_TRUE(internal.ok());
  EXPECT_EQ(internal->session.storage_url, kSwiftOneInternal);
}

TEST_F(KeystoneV3Test, RegionIdAloneIsEnough) {
  json catalog = json::array({{{"type", "object-store"},
                               {"endpoints",
                                {{{"interface", "public"},
                                  {"region_id", "RegionOne"},
                                  {"url", std::string(kSwiftOne) + "/"}}}}}});
  http_.Enqueue(Reply(201, V3TokenBody("2026-01-01T01:00:00Z", catalog).dump(),
                      {{"X-Subject-Token", "tok-1"}}));
  auto result = Run(V3PasswordConfig());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->session.storage_url, kSwiftOne);  // trailing '/' dropped
}

struct ExpiryCase {
  const char* name;
  json value;
  std::optional<std::chrono::milliseconds> lifetime;  // nullopt: never expires
};

class KeystoneV3ExpiryTest : public KeystoneV3Test,
                             public ::testing::WithParamInterface<ExpiryCase> {};

TEST_P(KeystoneV3ExpiryTest, ParsesEveryFormKeystoneEmits) {
  http_.Enqueue(V3TokenResponse("tok-1", GetParam().value));
  auto result = Run(V3PasswordConfig());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  if (!GetParam().lifetime) {
    EXPECT_FALSE(result->lifetime.has_value());
  } else {
    ASSERT_TRUE(result->lifetime.has_value());
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(*result->lifetime),
              *GetParam().lifetime);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, KeystoneV3ExpiryTest,
    ::testing::Values(
        ExpiryCase{"Zulu", "2026-01-01T01:00:00Z", std::chrono::seconds(3600)},
        ExpiryCase{"Fraction", "2026-01-01T01:00:00.000000Z", std::chrono::seconds(3600)},
        ExpiryCase{"PlusOffset", "2026-01-01T03:00:00+02:00", std::chrono::seconds(3600)},
        ExpiryCase{"MinusOffset", "2025-12-31T20:30:00-04:30", std::chrono::seconds(3600)},
        ExpiryCase{"NoZoneIsUtc", "2026-01-01T01:00:00", std::chrono::seconds(3600)},
        ExpiryCase{"NoZoneFraction", "2026-01-01T00:10:00.500", std::chrono::milliseconds(600500)},
        ExpiryCase{"Null", nullptr, std::nullopt},
        ExpiryCase{"Absent", json(json::value_t::discarded), std::nullopt}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(KeystoneV3Test, IssuedAtMeasuresTheLifetimeOnTheServersClock) {
  json body = V3TokenBody("2030-06-01T12:00:00Z");  // server clock far ahead of ours
  body["token"]["issued_at"] = "2030-06-01T11:00:00.000000Z";
  http_.Enqueue(Reply(201, body.dump(), {{"X-Subject-Token", "tok-1"}}));
  auto result = Run(V3PasswordConfig());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*result->lifetime, std::chrono::hours(1));
}

TEST_F(KeystoneV3Test, BadExpiryAndAlreadyExpiredAreBadResponses) {
  http_.Enqueue(V3TokenResponse("tok-1", "next tuesday"));
  auto bad = Run(V3PasswordConfig());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(bad.error().message.find("token.expires_at"), std::string::npos);

  http_.Enqueue(V3TokenResponse("tok-1", 12345));
  auto number = Run(V3PasswordConfig());
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().code, ErrorCode::kBadResponse);

  http_.Enqueue(V3TokenResponse("tok-1", "2025-12-31T23:00:00Z"));
  auto expired = Run(V3PasswordConfig());
  ASSERT_FALSE(expired.ok());
  EXPECT_NE(expired.error().message.find("check the clocks"), std::string::npos);
}

TEST_F(KeystoneV3Test, MissingSubjectTokenHeader) {
  http_.Enqueue(Reply(201, V3TokenBody().dump()));
  auto result = Run(V3PasswordConfig());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(result.error().message.find("X-Subject-Token"), std::string::npos);
}

TEST_F(KeystoneV3Test, MalformedAndHtmlBodiesAreBadResponses) {
  for (const char* body : {"{\"token\": ", "<html><head><title>Proxy</title></head></html>", "",
                           "[1, 2]", "{\"token\": 7}"}) {
    http_.Enqueue(Reply(201, body, {{"X-Subject-Token", "tok-1"}}));
    auto result = Run(V3PasswordConfig());
    ASSERT_FALSE(result.ok()) << body;
    EXPECT_EQ(result.error().code, ErrorCode::kBadResponse) << body;
  }
}

TEST_F(KeystoneV3Test, UnscopedTokenWithoutCatalogSaysToSetAProject) {
  json body = V3TokenBody();
  body["token"].erase("catalog");
  http_.Enqueue(Reply(201, body.dump(), {{"X-Subject-Token", "tok-1"}}));
  auto result = Run(V3PasswordConfig());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConfig);
  EXPECT_NE(result.error().message.find("OS_PROJECT_NAME"), std::string::npos);
}

TEST_F(KeystoneV3Test, WrongPasswordQuotesKeystonesMessage) {
  http_.Enqueue(Reply(401, R"({"error": {"code": 401, "title": "Unauthorized",
      "message": "The request you have made requires authentication."}})"));
  auto result = Run(V3PasswordConfig());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(result.error().http_status, 401);
  EXPECT_EQ(result.error().message,
            "authentication failed for user 'demo' at http://keystone.test:5000/v3/auth/tokens: "
            "The request you have made requires authentication.");
}

TEST_F(KeystoneV3Test, UnreachableNamesTheUrl) {
  http_.Enqueue(
      MakeError(ErrorCode::kConnectionFailed, "POST /v3/auth/tokens: connection refused"));
  auto result = Run(V3PasswordConfig());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConnectionFailed);
  EXPECT_NE(result.error().message.find("cannot reach the identity service at "
                                        "http://keystone.test:5000/v3/auth/tokens"),
            std::string::npos);
}

TEST_F(KeystoneV3Test, RevokeDeletesWithSubjectToken) {
  auto authenticator =
      auth::KeystoneV3Authenticator::Create(V3PasswordConfig(), kV3Url, Identity());
  ASSERT_TRUE(authenticator.ok());
  http_.Enqueue(Reply(204));
  (*authenticator)->Revoke(Secret("tok-1"));
  const http::Request request = http_.Requests().at(0);
  EXPECT_EQ(request.method, http::Method::kDelete);
  EXPECT_EQ(request.url, "http://keystone.test:5000/v3/auth/tokens");
  EXPECT_EQ(request.headers.Get("X-Auth-Token"), "tok-1");
  EXPECT_EQ(request.headers.Get("X-Subject-Token"), "tok-1");
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 0u);  // not a token request
}

TEST_F(KeystoneV3Test, RevokeIsOneShortAttemptWhateverTheAnswer) {
  // At unmount: a Keystone answering 500 (seen: "database is locked" after 5 s, to every
  // DELETE) must not hold the daemon's exit through retries and their backoff.
  auto authenticator =
      auth::KeystoneV3Authenticator::Create(V3PasswordConfig(), kV3Url, Identity());
  ASSERT_TRUE(authenticator.ok());
  http_.Enqueue(Reply(500));
  http_.Enqueue(Reply(204));  // what a retry would get
  const auto before = clock_.Monotonic();
  (*authenticator)->Revoke(Secret("tok-1"));
  ASSERT_EQ(http_.Requests().size(), 1u);
  EXPECT_LE(http_.Requests().at(0).timeout, auth::IdentityClient::kBestEffortTimeout);
  EXPECT_GT(http_.Requests().at(0).timeout.count(), 0);
  EXPECT_EQ(clock_.Monotonic(), before);  // no backoff slept
}

}  // namespace
}  // namespace swiftfs::testing
