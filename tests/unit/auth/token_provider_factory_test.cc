#include "swiftfs/auth/token_provider_factory.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {
namespace {

class FactoryTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<auth::TokenProvider>> Make(const auth::AuthConfig& config) {
    return auth::MakeTokenProvider(config, http_, clock_, logger_, counters_);
  }
  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
};

TEST_F(FactoryTest, PicksTheProtocolFromTheUrlWithoutAnyIo) {
  for (auto config : {V3PasswordConfig(), V2PasswordConfig()}) {
    auto provider = Make(config);
    ASSERT_TRUE(provider.ok()) << provider.error().ToString();
    EXPECT_TRUE((*provider)->CanRenew());
  }
  EXPECT_EQ(http_.RequestCount(), 0u);

  http_.Enqueue(V2TokenResponse("tok-1"));
  auto v2 = Make(V2PasswordConfig());
  ASSERT_TRUE((*v2)->Current().ok());
  EXPECT_EQ(http_.Requests().back().url, "http://keystone.test:5000/v2.0/tokens");

  auth::AuthConfig v1;
  v1.auth_url = "http://127.0.0.1:8080/auth/v1.0";
  v1.username = "test:tester";
  v1.password = Secret("k");
  http_.Enqueue(
      Reply(200, "", {{"X-Auth-Token", "AUTH_t"}, {"X-Storage-Url", "http://s/v1/AUTH_test"}}));
  auto swift = Make(v1);
  ASSERT_TRUE(swift.ok());
  auto session = (*swift)->Current();
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(http_.Requests().back().method, http::Method::kGet);
}

TEST_F(FactoryTest, ConfigErrors) {
  auth::AuthConfig no_url = V3PasswordConfig();
  no_url.auth_url.clear();
  auto missing = Make(no_url);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("OS_AUTH_URL"), std::string::npos);

  auth::AuthConfig conflict = V3PasswordConfig();
  conflict.version = auth::AuthVersion::kV2;
  EXPECT_EQ(Make(conflict).error().code, ErrorCode::kConfig);

  auth::AuthConfig preauth;
  preauth.method = auth::AuthMethod::kPreauthenticated;
  preauth.token = Secret("t");
  EXPECT_EQ(Make(preauth).error().code, ErrorCode::kConfig);

  auth::AuthConfig v1_app = V3PasswordConfig();
  v1_app.auth_url = "http://127.0.0.1:8080/auth/v1.0";
  v1_app.method = auth::AuthMethod::kApplicationCredential;
  EXPECT_EQ(Make(v1_app).error().code, ErrorCode::kConfig);
}

TEST(FormatSessionDescriptionTest, ShowsEverythingButTheToken) {
  auth::SessionDescription d;
  d.auth_version = "v3";
  d.auth_method = "password";
  d.user = "demo (domain Default)";
  d.project = "demo (domain Default)";
  d.region = "RegionOne";
  d.interface = "public";
  d.storage_url = "http://127.0.0.1:8080/v1/AUTH_p1";
  d.expires_at = FakeClock().Now() + std::chrono::hours(1);
  d.token_fingerprint = "tok:0123abcd";
  EXPECT_EQ(auth::FormatSessionDescription(d),
            "auth version:   v3\n"
            "auth method:    password\n"
            "user:           demo (domain Default)\n"
            "project:        demo (domain Default)\n"
            "region:         RegionOne\n"
            "interface:      public\n"
            "storage URL:    http://127.0.0.1:8080/v1/AUTH_p1\n"
            "token expires:  2026-01-01T01:00:00Z\n"
            "token:          tok:0123abcd (fingerprint; the token itself is never shown)\n");
  d.expires_at.reset();
  EXPECT_NE(auth::FormatSessionDescription(d).find("unknown (the server gave no expiry)"),
            std::string::npos);
}

}  // namespace
}  // namespace swiftfs::testing
