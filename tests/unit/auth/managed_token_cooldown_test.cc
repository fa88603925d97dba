// ManagedTokenProvider: the cool-down after a failed authentication.
#include "unit/auth/managed_token_provider_fixture.h"

namespace swiftfs::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(CooldownWindowTest, DoublesFromOneSecondAndCapsAtFiveMinutes) {
  const auth::CooldownPolicy policy;
  EXPECT_EQ(auth::CooldownWindow(policy, 1), seconds(1));
  EXPECT_EQ(auth::CooldownWindow(policy, 2), seconds(2));
  EXPECT_EQ(auth::CooldownWindow(policy, 3), seconds(4));
  EXPECT_EQ(auth::CooldownWindow(policy, 9), seconds(256));
  EXPECT_EQ(auth::CooldownWindow(policy, 10), minutes(5));
  EXPECT_EQ(auth::CooldownWindow(policy, 1000), minutes(5));  // no overflow
}

TEST(AuthFailureKindTest, RejectedConfigOrUnavailable) {
  EXPECT_EQ(auth::AuthFailureKind(MakeError(ErrorCode::kUnauthorized, "")), "credentials rejected");
  EXPECT_EQ(auth::AuthFailureKind(MakeError(ErrorCode::kForbidden, "")), "credentials rejected");
  EXPECT_EQ(auth::AuthFailureKind(MakeError(ErrorCode::kConfig, "")), "request refused");
  EXPECT_EQ(auth::AuthFailureKind(MakeError(ErrorCode::kBadResponse, "")), "unusable response");
  EXPECT_EQ(auth::AuthFailureKind(MakeError(ErrorCode::kServerError, "")),
            "identity service unavailable");
  EXPECT_EQ(auth::AuthFailureKind(MakeError(ErrorCode::kConnectionFailed, "")),
            "identity service unavailable");
}

TEST_F(ManagedTokenProviderTest, RejectedCredentialsCostOneRequestPerWindow) {
  RejectPasswords();
  auto provider = MakeProvider(NoJitter());
  auto first = provider->Current();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(AuthRequests(), 1u);

  // Consecutive operations within the window fail fast with the remembered error.
  for (int i = 0; i < 100; ++i) {
    auto again = provider->Current();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kUnauthorized);
  }
  // And so do concurrent ones.
  std::vector<std::thread> threads;
  std::atomic<int> unauthorized{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        auto session = provider->Current();
        if (!session.ok() && session.error().code == ErrorCode::kUnauthorized) ++unauthorized;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(unauthorized.load(), 400);
  EXPECT_EQ(AuthRequests(), 1u);
  EXPECT_EQ(LogLinesWith("authentication attempt"), 1u);  // one line per attempt, not per call

  auto fast = provider->Current();
  EXPECT_NE(fast.error().message.find("authentication failed for user 'demo'"), std::string::npos)
      << fast.error().message;
  EXPECT_NE(fast.error().message.find("credentials rejected; not asking again for 1.0 s"),
            std::string::npos)
      << fast.error().message;
  EXPECT_TRUE(logger_.Contains("attempt 1 failed (credentials rejected), next attempt in 1.0 s"));
}

TEST_F(ManagedTokenProviderTest, TheWindowDoublesAndCaps) {
  RejectPasswords();
  auto provider = MakeProvider(NoJitter());
  const std::vector<seconds> windows = {seconds(1),   seconds(2),   seconds(4),  seconds(8),
                                        seconds(16),  seconds(32),  seconds(64), seconds(128),
                                        seconds(256), seconds(300), seconds(300)};
  uint64_t expected = 0;
  for (const seconds window : windows) {
    EXPECT_FALSE(provider->Current().ok());
    EXPECT_EQ(AuthRequests(), ++expected);  // one attempt opens the window
    clock_.Advance(window - std::chrono::milliseconds(1));
    EXPECT_FALSE(provider->Current().ok());
    EXPECT_EQ(AuthRequests(), expected) << "within the " << window.count() << " s window";
    clock_.Advance(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(LogLinesWith("authentication attempt"), windows.size());
  EXPECT_TRUE(
      logger_.Contains("attempt 11 failed (credentials rejected), next attempt in 300.0 s"));
}

TEST_F(ManagedTokenProviderTest, SuccessResetsTheWindow) {
  RejectPasswords();
  auto provider = MakeProvider(NoJitter());
  for (int i = 0; i < 4; ++i) {  // windows 1, 2, 4, 8 s
    EXPECT_FALSE(provider->Current().ok());
    clock_.Advance(seconds(8));
  }
  UseLifetime(hours(1));
  auto ok = provider->Current();
  ASSERT_TRUE(ok.ok());
  provider->Invalidate(*ok);
  RejectPasswords();
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 6u);
  clock_.Advance(seconds(1));  // back to the first window
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 7u);
}

TEST_F(ManagedTokenProviderTest, AnUnavailableServiceBacksOffTooAndSaysSo) {
  http_.SetHandler([](const http::Request&) -> Result<http::Response> {
    return Reply(503, "Service Unavailable");
  });
  auto provider = MakeProvider(NoJitter());
  auto first = provider->Current();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kServerError);
  auto fast = provider->Current();
  ASSERT_FALSE(fast.ok());
  EXPECT_EQ(fast.error().code, ErrorCode::kServerError);
  EXPECT_NE(fast.error().message.find("identity service unavailable"), std::string::npos);
  EXPECT_EQ(AuthRequests(), 1u);
  EXPECT_TRUE(logger_.Contains("attempt 1 failed (identity service unavailable)"));
}

TEST_F(ManagedTokenProviderTest, JitterShortensAWaitByAtMostHalf) {
  RejectPasswords();
  auth::CooldownPolicy policy;
  policy.random = [] { return 0.5; };  // three quarters of each window
  auto provider = MakeProvider(policy);
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_FALSE(provider->Current().ok());  // first window: 750 ms
  clock_.Advance(std::chrono::milliseconds(749));
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 1u);
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 2u);
  clock_.Advance(std::chrono::milliseconds(1499));  // second window: 1.5 s
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 2u);
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 3u);
}

}  // namespace
}  // namespace swiftfs::testing
