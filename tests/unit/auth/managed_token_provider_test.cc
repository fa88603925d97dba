#include "auth/managed_token_provider.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "auth/keystone_v3_authenticator.h"
#include "support/fake_clock.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// A gate a fake handler can block on until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void WaitForWaiters(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

// Issues tok-1, tok-2, ... each valid for `lifetime` from the FakeClock's now.
class ManagedTokenProviderTest : public ::testing::Test {
 protected:
  void SetUp() override { UseLifetime(hours(1)); }

  void UseLifetime(std::chrono::seconds lifetime, Gate* gate = nullptr) {
    http_.SetHandler([this, lifetime,
                      gate](const http::Request& request) -> Result<http::Response> {
      if (request.method == http::Method::kDelete) return Reply(204);  // revocation
      if (gate) gate->Wait();
      const int n = ++issued_;
      return V3TokenResponse("tok-" + std::to_string(n), FormatIso8601(clock_.Now() + lifetime));
    });
  }

  std::unique_ptr<auth::ManagedTokenProvider> MakeProvider(auth::CooldownPolicy cooldown = {}) {
    // No identity-client retries: each authentication is one request, easy to count.
    auth::RetryPolicy once;
    once.max_attempts = 1;
    auto authenticator = auth::KeystoneV3Authenticator::Create(
        V3PasswordConfig(), kV3Url, auth::IdentityClient(http_, clock_, logger_, counters_, once));
    EXPECT_TRUE(authenticator.ok());
    return std::make_unique<auth::ManagedTokenProvider>(std::move(*authenticator), clock_, logger_,
                                                        "", std::move(cooldown));
  }
  // Jitter off: every wait is the whole window.
  static auth::CooldownPolicy NoJitter() {
    auth::CooldownPolicy policy;
    policy.random = [] { return 0.0; };
    return policy;
  }
  void RejectPasswords() {
    http_.SetHandler([](const http::Request&) -> Result<http::Response> {
      return Reply(
          401,
          R"({"error": {"message": "The request you have made requires authentication.", "code": 401}})");
    });
  }
  size_t LogLinesWith(std::string_view needle) const {
    size_t n = 0;
    for (const std::string& line : logger_.Lines()) n += line.find(needle) != std::string::npos;
    return n;
  }
  uint64_t AuthRequests() const { return counters_.Get(Counter::kAuthRequests); }

  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
  std::atomic<int> issued_{0};
};

TEST(RenewalMarginTest, TenPercentAtLeastAMinuteNeverMoreThanAFifth) {
  EXPECT_EQ(auth::RenewalMargin(hours(24)), minutes(144));
  EXPECT_EQ(auth::RenewalMargin(hours(1)), minutes(6));
  EXPECT_EQ(auth::RenewalMargin(minutes(10)), seconds(60));
  EXPECT_EQ(auth::RenewalMargin(seconds(200)), seconds(40));
  EXPECT_EQ(auth::RenewalMargin(seconds(8)), std::chrono::milliseconds(1600));
  EXPECT_EQ(auth::RenewalRetryDelay(seconds(60)), std::chrono::milliseconds(7500));
  EXPECT_EQ(auth::RenewalRetryDelay(seconds(2)), seconds(1));
  EXPECT_EQ(auth::RenewalRetryDelay(hours(2)), seconds(30));
}

TEST_F(ManagedTokenProviderTest, AuthenticatesOnceAndReusesTheToken) {
  auto provider = MakeProvider();
  auto first = provider->Current();
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->token.Reveal(), "tok-1");
  EXPECT_EQ(first->generation, 1u);
  ASSERT_TRUE(first->expires_at.has_value());
  EXPECT_EQ(FormatIso8601(*first->expires_at), "2026-01-01T01:00:00Z");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  EXPECT_EQ(AuthRequests(), 1u);
}

TEST_F(ManagedTokenProviderTest, RenewsAtTheMarginNotBefore) {
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  clock_.Advance(minutes(54) - seconds(1));  // 6 min 1 s left: not yet
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  EXPECT_EQ(AuthRequests(), 1u);
  clock_.Advance(seconds(1));  // 6 min left: renew
  auto renewed = provider->Current();
  EXPECT_EQ(renewed->token.Reveal(), "tok-2");
  EXPECT_EQ(renewed->generation, 2u);
  EXPECT_EQ(AuthRequests(), 2u);
}

TEST_F(ManagedTokenProviderTest, ShortTokensAreRenewedInTheirLastFifth) {
  UseLifetime(seconds(8));
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  clock_.Advance(std::chrono::milliseconds(6300));
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  clock_.Advance(std::chrono::milliseconds(100));  // 1.6 s left
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");
}

TEST_F(ManagedTokenProviderTest, CallersKeepTheValidTokenWhileARenewalIsInFlight) {
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  Gate gate;
  UseLifetime(hours(1), &gate);
  clock_.Advance(minutes(55));  // renewal due

  std::thread renewer([&] { EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2"); });
  gate.WaitForWaiters(1);  // the renewal request is in the air, blocked
  // Not blocked: these return while the renewal is still held at the gate.
  for (int i = 0; i < 3; ++i) {
    auto current = provider->Current();
    ASSERT_TRUE(current.ok());
    EXPECT_EQ(current->token.Reveal(), "tok-1");
  }
  EXPECT_EQ(provider->WaitingCallers(), 0u);
  gate.Open();
  renewer.join();
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");
  EXPECT_EQ(AuthRequests(), 2u);
}

TEST_F(ManagedTokenProviderTest, SingleFlightManyThreadsOneRequest) {
  constexpr int kThreads = 16;
  Gate gate;
  UseLifetime(hours(1), &gate);
  auto provider = MakeProvider();
  std::vector<std::thread> threads;
  std::atomic<int> got_tok1{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      auto session = provider->Current();
      if (session.ok() && session->token.Reveal() == "tok-1") ++got_tok1;
    });
  }
  gate.WaitForWaiters(1);
  // Hold the one request until every other thread is waiting for it.
  while (provider->WaitingCallers() < kThreads - 1) std::this_thread::yield();
  gate.Open();
  for (auto& t : threads) t.join();
  EXPECT_EQ(got_tok1.load(), kThreads);
  EXPECT_EQ(http_.RequestCount(), 1u);
  EXPECT_EQ(AuthRequests(), 1u);
}

TEST_F(ManagedTokenProviderTest, WaitersShareTheFlightsError) {
  constexpr int kThreads = 8;
  Gate gate;
  http_.SetHandler([&](const http::Request&) -> Result<http::Response> {
    gate.Wait();
    return Reply(401, R"({"error": {"message": "bad password", "code": 401}})");
  });
  auto provider = MakeProvider();
  std::vector<std::thread> threads;
  std::atomic<int> unauthorized{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      auto session = provider->Current();
      if (!session.ok() && session.error().code == ErrorCode::kUnauthorized) ++unauthorized;
    });
  }
  gate.WaitForWaiters(1);
  while (provider->WaitingCallers() < kThreads - 1) std::this_thread::yield();
  gate.Open();
  for (auto& t : threads) t.join();
  EXPECT_EQ(unauthorized.load(), kThreads);
  EXPECT_EQ(http_.RequestCount(), 1u);
}

TEST_F(ManagedTokenProviderTest, InvalidateOnlyTheCurrentGeneration) {
  auto provider = MakeProvider();
  auto first = provider->Current();
  provider->Invalidate(*first);
  auto second = provider->Current();
  EXPECT_EQ(second->token.Reveal(), "tok-2");
  // A burst of late 401 reports about tok-1 must not cost more authentications.
  for (int i = 0; i < 10; ++i) provider->Invalidate(*first);
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");
  EXPECT_EQ(AuthRequests(), 2u);
}

TEST_F(ManagedTokenProviderTest, FailedRenewalKeepsTheTokenAndRetriesLater) {
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  http_.SetHandler([](const http::Request&) -> Result<http::Response> {
    return MakeError(ErrorCode::kConnectionFailed, "refused");
  });
  clock_.Advance(minutes(55));
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");  // renewal failed, token kept
  EXPECT_EQ(AuthRequests(), 2u);
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");  // no retry yet: cool-down
  EXPECT_EQ(AuthRequests(), 2u);
  clock_.Advance(seconds(30));
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  EXPECT_EQ(AuthRequests(), 3u);
  clock_.Advance(minutes(5));  // expired now: the error reaches the caller
  auto expired = provider->Current();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kConnectionFailed);
  EXPECT_TRUE(logger_.Contains("token renewal attempt 1 failed (identity service unavailable)"));
}

TEST_F(ManagedTokenProviderTest, TokensWithoutExpiryAreNeverRenewedProactively) {
  http_.SetHandler([](const http::Request&) { return V3TokenResponse("tok-x", nullptr); });
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  clock_.Advance(hours(24 * 365));
  EXPECT_TRUE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 1u);
}

TEST_F(ManagedTokenProviderTest, RevokeAndDescribe) {
  auto provider = MakeProvider();
  auto description = provider->Describe();
  ASSERT_TRUE(description.ok());
  EXPECT_EQ(description->storage_url, kSwiftOne);
  EXPECT_EQ(description->token_fingerprint, TokenFingerprint(Secret("tok-1")));
  EXPECT_EQ(FormatIso8601(*description->expires_at), "2026-01-01T01:00:00Z");

  http_.ClearRequests();
  provider->Revoke();
  ASSERT_EQ(http_.RequestCount(), 1u);
  EXPECT_EQ(http_.Requests()[0].method, http::Method::kDelete);
  EXPECT_EQ(http_.Requests()[0].headers.Get("X-Subject-Token"), "tok-1");
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");  // a new one after revocation
}

TEST_F(ManagedTokenProviderTest, StorageUrlOverride) {
  auto authenticator = auth::KeystoneV3Authenticator::Create(
      V3PasswordConfig(), kV3Url, auth::IdentityClient(http_, clock_, logger_, counters_));
  auth::ManagedTokenProvider provider(std::move(*authenticator), clock_, logger_,
                                      "http://override.test/v1/AUTH_x");
  EXPECT_EQ(provider.Current()->storage_url, "http://override.test/v1/AUTH_x");
}

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
