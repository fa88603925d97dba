#include "swiftfs/auth/authenticated_sender.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/fake_clock.h"
#include "swiftfs/auth/token_provider_factory.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {
namespace {

// One fake serves both Keystone (token requests) and Swift (everything else).
class AuthenticatedSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http_.SetHandler([this](const http::Request& request) -> Result<http::Response> {
      if (request.url.find("/auth/tokens") != std::string::npos) {
        return V3TokenResponse("tok-" + std::to_string(++issued_));
      }
      ++swift_requests_;
      return swift_(request);
    });
    auto provider = auth::MakeTokenProvider(V3PasswordConfig(), http_, clock_, logger_, counters_);
    ASSERT_TRUE(provider.ok());
    provider_ = std::move(*provider);
  }

  Result<http::Response> HeadAccount(auth::AuthenticatedSender& sender) {
    return sender.Send([&](const auth::Session& session) {
      ++builds_;
      http::Request request;
      request.method = http::Method::kHead;
      request.url = session.storage_url;
      return request;
    });
  }

  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
  std::unique_ptr<auth::TokenProvider> provider_;
  std::function<Result<http::Response>(const http::Request&)> swift_ =
      [](const http::Request&) -> Result<http::Response> { return Reply(204); };
  std::atomic<int> issued_{0};
  std::atomic<int> swift_requests_{0};
  std::atomic<int> builds_{0};
};

TEST_F(AuthenticatedSenderTest, AddsTheTokenHeader) {
  auth::AuthenticatedSender sender(http_, *provider_, logger_);
  auto response = HeadAccount(sender);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 204);
  const http::Request swift = http_.Requests().back();
  EXPECT_EQ(swift.url, kSwiftOne);
  EXPECT_EQ(swift.headers.Get("X-Auth-Token"), "tok-1");
  EXPECT_EQ(builds_.load(), 1);
}

TEST_F(AuthenticatedSenderTest, A401CostsOneReauthenticationAndOneResend) {
  swift_ = [](const http::Request& request) -> Result<http::Response> {
    return Reply(request.headers.Get("X-Auth-Token") == "tok-1" ? 401 : 204);
  };
  auth::AuthenticatedSender sender(http_, *provider_, logger_);
  auto response = HeadAccount(sender);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 2u);
  EXPECT_EQ(swift_requests_.load(), 2);
  EXPECT_EQ(builds_.load(), 2);
  EXPECT_EQ(http_.Requests().back().headers.Get("X-Auth-Token"), "tok-2");
}

TEST_F(AuthenticatedSenderTest, A401AfterRenewalIsUnauthorizedNotALoop) {
  swift_ = [](const http::Request&) -> Result<http::Response> { return Reply(401); };
  auth::AuthenticatedSender sender(http_, *provider_, logger_);
  auto response = HeadAccount(sender);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(response.error().http_status, 401);
  EXPECT_EQ(swift_requests_.load(), 2);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 2u);
}

TEST_F(AuthenticatedSenderTest, OtherStatusesAndTransportErrorsPassThrough) {
  swift_ = [](const http::Request&) -> Result<http::Response> { return Reply(404); };
  auth::AuthenticatedSender sender(http_, *provider_, logger_);
  auto not_found = HeadAccount(sender);
  ASSERT_TRUE(not_found.ok());
  EXPECT_EQ(not_found->status, 404);
  swift_ = [](const http::Request&) -> Result<http::Response> {
    return MakeError(ErrorCode::kTimeout, "HEAD /v1/AUTH_p1: timed out");
  };
  auto timeout = HeadAccount(sender);
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 1u);
}

TEST_F(AuthenticatedSenderTest, ABurstOf401sForOneTokenCostsOneReauthentication) {
  constexpr int kThreads = 12;
  swift_ = [](const http::Request& request) -> Result<http::Response> {
    return Reply(request.headers.Get("X-Auth-Token") == "tok-1" ? 401 : 204);
  };
  ASSERT_TRUE(provider_->Current().ok());  // every thread starts with tok-1
  auth::AuthenticatedSender sender(http_, *provider_, logger_);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      auto response = HeadAccount(sender);
      if (response.ok() && response->status == 204) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 2u);
}

TEST(AuthenticatedSenderPreauthTest, RejectedPreauthenticatedTokenSaysGetANewOne) {
  FakeHttpClient http;
  FakeClock clock;
  CapturingLogger logger;
  Counters counters;
  auth::AuthConfig config;
  config.method = auth::AuthMethod::kPreauthenticated;
  config.storage_url = "http://127.0.0.1:8080/v1/AUTH_test/";
  config.token = Secret("preauth-token-123");
  auto provider = auth::MakeTokenProvider(config, http, clock, logger, counters);
  ASSERT_TRUE(provider.ok());
  EXPECT_FALSE((*provider)->CanRenew());
  http.SetHandler([](const http::Request&) -> Result<http::Response> { return Reply(401); });
  auth::AuthenticatedSender sender(http, **provider, logger);
  auto build = [](const auth::Session& session) {
    http::Request request;
    request.method = http::Method::kHead;
    request.url = session.storage_url + "/photos";
    return request;
  };
  auto response = sender.Send(build);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(response.error().message,
            "the pre-authenticated token (OS_AUTH_TOKEN) was rejected or has expired; get a "
            "new one");
  EXPECT_EQ(http.RequestCount(), 1u);
  EXPECT_EQ(http.Requests()[0].url, "http://127.0.0.1:8080/v1/AUTH_test/photos");
  // Later requests fail at once instead of sending a token known to be dead.
  auto again = sender.Send(build);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(http.RequestCount(), 1u);
  EXPECT_EQ(counters.Get(Counter::kAuthRequests), 0u);
}

}  // namespace
}  // namespace swiftfs::testing
