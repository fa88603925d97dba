// Malformed, hostile or oversized identity answers give a clear error through the whole
// authentication path (authenticator, then ManagedTokenProvider), never a crash, an
// exception, or a token or URL that would be sent on unchecked.

#include <gtest/gtest.h>

#include "auth/identity_response.h"
#include "auth/keystone_v2_authenticator.h"
#include "auth/keystone_v3_authenticator.h"
#include "auth/managed_token_provider.h"
#include "support/fake_clock.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {
namespace {

using nlohmann::json;

class IdentityMalformedTest : public ::testing::Test {
 protected:
  // One authentication through a v3 (or v2.0) provider answered with `reply`.
  Result<auth::Session> AuthenticateWith(Result<http::Response> reply, bool v2 = false) {
    http_.SetHandler([&](const http::Request&) { return reply; });
    auth::RetryPolicy once;
    once.max_attempts = 1;
    auth::IdentityClient identity(http_, clock_, logger_, counters_, once);
    auto authenticator =
        v2 ? auth::KeystoneV2Authenticator::Create(V2PasswordConfig(), kV2Url, identity)
           : auth::KeystoneV3Authenticator::Create(V3PasswordConfig(), kV3Url, identity);
    EXPECT_TRUE(authenticator.ok());
    auth::ManagedTokenProvider provider(std::move(*authenticator), clock_, logger_);
    return provider.Current();
  }
  static http::Response V3With(const json& body, const std::string& token = "tok-1") {
    return Reply(201, body.dump(), {{"X-Subject-Token", token}});
  }

  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
};

TEST_F(IdentityMalformedTest, WrongShapesAreBadResponsesNamingThePart) {
  struct Case {
    json body;
    ErrorCode code;
    const char* says;
  };
  json catalog_of_strings = V3TokenBody();
  catalog_of_strings["token"]["catalog"] = {"object-store", 7, nullptr};
  json endpoints_not_list = V3TokenBody();
  endpoints_not_list["token"]["catalog"][1]["endpoints"] = "http://x";
  json url_not_string = V3TokenBody();
  url_not_string["token"]["catalog"][1]["endpoints"][0]["url"] = 42;
  const std::vector<Case> cases = {
      {json::array(), ErrorCode::kBadResponse, "not a JSON object"},
      {{{"token", "abc"}}, ErrorCode::kBadResponse, "lacks token"},
      {V3TokenBody(12345), ErrorCode::kBadResponse, "token.expires_at is not a time string"},
      {V3TokenBody("yesterday"), ErrorCode::kBadResponse, "token.expires_at is not a valid time"},
      {V3TokenBody("2026-01-01T01:00:00Z", "nope"), ErrorCode::kConfig, "no service catalog"},
      {catalog_of_strings, ErrorCode::kConfig, "no object-store"},
      {endpoints_not_list, ErrorCode::kConfig, "no object-store"},
  };
  for (const Case& c : cases) {
    auto session = AuthenticateWith(V3With(c.body));
    ASSERT_FALSE(session.ok()) << c.body.dump();
    EXPECT_EQ(session.error().code, c.code) << c.body.dump();
    EXPECT_NE(session.error().message.find(c.says), std::string::npos) << session.error().message;
  }
  // A non-string URL counts as no endpoint: the message lists what there is.
  auto session = AuthenticateWith(V3With(url_not_string));
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::kConfig);
  EXPECT_NE(session.error().message.find("no public endpoint in region 'RegionOne'"),
            std::string::npos)
      << session.error().message;
}

TEST_F(IdentityMalformedTest, TruncatedAndHugeBodiesSayWhatWasReceived) {
  const std::string full = V3TokenBody().dump();
  auto truncated =
      AuthenticateWith(Reply(201, full.substr(0, full.size() / 2), {{"X-Subject-Token", "tok-1"}}));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(truncated.error().message.find("(got malformed JSON)"), std::string::npos);

  // A body the HTTP layer refused for its size arrives as a transport error.
  auto huge = AuthenticateWith(MakeError(ErrorCode::kRange, "response body over 16 MiB"));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, ErrorCode::kRange);
  EXPECT_EQ(huge.error().message,
            "unusable response from the identity service at "
            "http://keystone.test:5000/v3/auth/tokens: response body over 16 MiB");
  EXPECT_TRUE(logger_.Contains("(unusable response)"));

  auto slow = AuthenticateWith(MakeError(ErrorCode::kTimeout, "timed out after 30 s"));
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.error().message.find("no answer in time from the identity service"),
            std::string::npos);
}

TEST_F(IdentityMalformedTest, TokensThatCannotGoInAHeaderAreRefused) {
  for (const std::string& token : {std::string("Zq9\r\nX-Evil: 1"), std::string("Zq9 en"),
                                   std::string("Zq9\x80"), "Zq9" + std::string(70 * 1024, 'a')}) {
    auto session = AuthenticateWith(V3With(V3TokenBody(), token));
    ASSERT_FALSE(session.ok());
    EXPECT_EQ(session.error().code, ErrorCode::kBadResponse);
    EXPECT_NE(session.error().message.find("the identity service issued a token"),
              std::string::npos);
    EXPECT_EQ(session.error().message.find("Zq9"), std::string::npos);  // never quoted
  }
  json v2 = V2TokenBody("bad token");
  auto session = AuthenticateWith(Reply(200, v2.dump()), /*v2=*/true);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::kBadResponse);
}

TEST_F(IdentityMalformedTest, StorageUrlsMustBeHttp) {
  for (const char* url : {"file:///etc/passwd", "javascript:alert(1)", "http://s/v1\r\nX: y",
                          "//no-scheme/v1/AUTH_x"}) {
    json body = V3TokenBody();
    body["token"]["catalog"][1]["endpoints"][0]["url"] = url;
    auto session = AuthenticateWith(V3With(body));
    ASSERT_FALSE(session.ok()) << url;
    EXPECT_EQ(session.error().code, ErrorCode::kBadResponse) << url;
    EXPECT_NE(session.error().message.find("not a usable http(s) URL"), std::string::npos);
  }
}

TEST(CheckIssuedSessionTest, TheStorageUrlIsCheckedOnlyWhenUsed) {
  auth::Session session;
  session.token = Secret("gAAAAABk-token_1");
  session.storage_url = "ftp://x";
  EXPECT_FALSE(auth::CheckIssuedSession(session, true).ok());
  EXPECT_TRUE(auth::CheckIssuedSession(session, false).ok());  // OS_STORAGE_URL replaces it
  session.storage_url = "HTTPS://swift.example:443/v1/AUTH_p";
  EXPECT_TRUE(auth::CheckIssuedSession(session, true).ok());
}

}  // namespace
}  // namespace swiftfs::testing
