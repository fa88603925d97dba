#include "auth/swift_v1_authenticator.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {
namespace {

constexpr const char* kV1Url = "http://127.0.0.1:8080/auth/v1.0";

class SwiftV1Test : public ::testing::Test {
 protected:
  SwiftV1Test() {
    config_.auth_url = kV1Url;
    config_.username = "test:tester";
    config_.password = Secret("testing-key-91");
  }
  Result<auth::AuthResult> Run() {
    auto authenticator = auth::SwiftV1Authenticator::Create(
        config_, auth::IdentityClient(http_, clock_, logger_, counters_));
    if (!authenticator) return authenticator.error();
    return (*authenticator)->Authenticate();
  }

  auth::AuthConfig config_;
  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
};

TEST_F(SwiftV1Test, SendsBothHeaderSpellingsAndReadsTheAnswer) {
  http_.Enqueue(Reply(200, "",
                      {{"X-Storage-Url", "http://127.0.0.1:8080/v1/AUTH_test"},
                       {"X-Auth-Token", "AUTH_tk1"},
                       {"X-Storage-Token", "AUTH_tk1"},
                       {"X-Auth-Token-Expires", "86399"}}));
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const http::Request request = http_.Requests().at(0);
  EXPECT_EQ(request.method, http::Method::kGet);
  EXPECT_EQ(request.url, kV1Url);
  EXPECT_EQ(request.headers.Get("X-Auth-User"), "test:tester");
  EXPECT_EQ(request.headers.Get("X-Auth-Key"), "testing-key-91");
  EXPECT_EQ(request.headers.Get("X-Storage-User"), "test:tester");
  EXPECT_EQ(request.headers.Get("X-Storage-Pass"), "testing-key-91");
  EXPECT_EQ(result->session.token.Reveal(), "AUTH_tk1");
  EXPECT_EQ(result->session.storage_url, "http://127.0.0.1:8080/v1/AUTH_test");
  EXPECT_EQ(*result->lifetime, std::chrono::seconds(86399));
  EXPECT_EQ(result->description.project, "AUTH_test");
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 1u);
}

TEST_F(SwiftV1Test, NoExpiryHeaderMeansUnknownAndStorageTokenIsAccepted) {
  http_.Enqueue(Reply(
      204, "",
      {{"X-Storage-Url", "http://127.0.0.1:8080/v1/AUTH_test/"}, {"X-Storage-Token", "AUTH_tk2"}}));
  auto result = Run();
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->session.token.Reveal(), "AUTH_tk2");
  EXPECT_EQ(result->session.storage_url, "http://127.0.0.1:8080/v1/AUTH_test");
  EXPECT_FALSE(result->lifetime.has_value());
}

TEST_F(SwiftV1Test, MissingHeadersAndBadCredentials) {
  http_.Enqueue(Reply(200, "", {{"X-Auth-Token", "AUTH_tk1"}}));
  auto no_url = Run();
  ASSERT_FALSE(no_url.ok());
  EXPECT_EQ(no_url.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(no_url.error().message.find("X-Storage-Url"), std::string::npos);

  http_.Enqueue(Reply(401,
                      "<html><h1>Unauthorized</h1><p>This server could not verify that you are "
                      "authorized to access the document you requested.</p></html>"));
  auto denied = Run();
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kUnauthorized);
  EXPECT_NE(denied.error().message.find("user 'test:tester'"), std::string::npos);
}

TEST_F(SwiftV1Test, NeedsUserAndKey) {
  config_.password = Secret();
  auto result = Run();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConfig);
  EXPECT_EQ(http_.RequestCount(), 0u);
}

}  // namespace
}  // namespace swiftfs::testing
