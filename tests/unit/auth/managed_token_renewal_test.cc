// ManagedTokenProvider: renewal ahead of expiry by the background thread.
#include "unit/auth/managed_token_provider_fixture.h"

namespace swiftfs::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST_F(ManagedTokenProviderTest, RenewsAtTheMarginNotBefore) {
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  AdvanceAndSettle(minutes(54) - seconds(1));  // 6 min 1 s left: not yet
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  EXPECT_EQ(AuthRequests(), 1u);
  AdvanceAndSettle(seconds(1));  // 6 min left: the renewal thread renews
  EXPECT_EQ(AuthRequests(), 2u);
  auto renewed = provider->Current();
  EXPECT_EQ(renewed->token.Reveal(), "tok-2");
  EXPECT_EQ(renewed->generation, 2u);
  EXPECT_EQ(AuthRequests(), 2u);
}

TEST_F(ManagedTokenProviderTest, ShortTokensAreRenewedInTheirLastFifth) {
  UseLifetime(seconds(8));
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  AdvanceAndSettle(std::chrono::milliseconds(6300));
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  AdvanceAndSettle(std::chrono::milliseconds(100));  // 1.6 s left
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");
}

TEST_F(ManagedTokenProviderTest, CallersKeepTheValidTokenWhileARenewalIsInFlight) {
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  Gate gate;
  UseLifetime(hours(1), &gate);
  clock_.Advance(minutes(55));  // renewal due: the renewal thread sends the request
  gate.WaitForWaiters(1);       // the renewal request is in the air, blocked
  // Not blocked: these return while the renewal is still held at the gate.
  for (int i = 0; i < 3; ++i) {
    auto current = provider->Current();
    ASSERT_TRUE(current.ok());
    EXPECT_EQ(current->token.Reveal(), "tok-1");
  }
  EXPECT_EQ(provider->WaitingCallers(), 0u);
  gate.Open();
  clock_.AwaitWaiter();
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");
  EXPECT_EQ(AuthRequests(), 2u);
}

TEST_F(ManagedTokenProviderTest, AnInvalidatedTokenWaitsForTheRenewalInFlight) {
  auto provider = MakeProvider();
  auto first = provider->Current();
  ASSERT_TRUE(first.ok());
  Gate gate;
  UseLifetime(hours(1), &gate);
  clock_.Advance(minutes(55));
  gate.WaitForWaiters(1);
  provider->Invalidate(*first);  // Swift answered 401 meanwhile: the caller must wait
  std::thread caller([&] { EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2"); });
  while (provider->WaitingCallers() < 1) std::this_thread::yield();
  gate.Open();
  caller.join();
  EXPECT_EQ(AuthRequests(), 2u);  // single flight: the caller shared the renewal
}

TEST_F(ManagedTokenProviderTest, WithoutTheRenewalThreadNothingIsRenewedAhead) {
  auto authenticator = auth::KeystoneV3Authenticator::Create(
      V3PasswordConfig(), kV3Url, auth::IdentityClient(http_, clock_, logger_, counters_));
  auth::ManagedTokenProvider provider(std::move(*authenticator), clock_, logger_);
  ASSERT_TRUE(provider.Current().ok());
  clock_.Advance(minutes(59));
  EXPECT_EQ(provider.Current()->token.Reveal(), "tok-1");
  clock_.Advance(minutes(1));  // expired: now the caller authenticates
  EXPECT_EQ(provider.Current()->token.Reveal(), "tok-2");
  EXPECT_EQ(AuthRequests(), 2u);
}

TEST_F(ManagedTokenProviderTest, AnOutageLongerThanTheMarginCostsNoOperation) {
  auto provider = MakeProvider(NoJitter());
  ASSERT_TRUE(provider->Current().ok());
  std::atomic<bool> down{true};
  http_.SetHandler([&](const http::Request&) -> Result<http::Response> {
    if (down) return Reply(503, "Service Unavailable");
    return V3TokenResponse("tok-2", FormatIso8601(clock_.Now() + hours(1)));
  });
  AdvanceAndSettle(minutes(54));  // renewal due, 6 min before expiry; Keystone answers 503
  // To 30 s before expiry in 1 s steps: every operation gets the valid token, none waits.
  for (int i = 0; i < 330; ++i) {
    auto current = provider->Current();
    ASSERT_TRUE(current.ok()) << i;
    EXPECT_EQ(current->token.Reveal(), "tok-1");
    AdvanceAndSettle(seconds(1));
  }
  // Retried with backoff, not once a second: at 54:00, :01, :03, :07, :15, :31 (waits of
  // 1, 2, 4, 8, 16 s), then every 30 s (the cap for a 6 min margin) up to 59:01.
  EXPECT_EQ(AuthRequests() - 1, 15u);
  EXPECT_EQ(provider->WaitingCallers(), 0u);
  EXPECT_TRUE(logger_.Contains("still using"));
  down = false;  // back: the next retry (59:31), still before expiry, renews
  AdvanceAndSettle(seconds(1));
  EXPECT_EQ(AuthRequests() - 1, 16u);
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-2");
}

TEST_F(ManagedTokenProviderTest, RenewalRetriesStopAtExpiry) {
  auto provider = MakeProvider(NoJitter());
  ASSERT_TRUE(provider->Current().ok());
  http_.SetHandler([](const http::Request&) -> Result<http::Response> {
    return MakeError(ErrorCode::kConnectionFailed, "refused");
  });
  AdvanceAndSettle(minutes(54));
  for (int i = 0; i < 12; ++i) AdvanceAndSettle(seconds(30));  // expired by now
  const uint64_t after_expiry = AuthRequests();
  AdvanceAndSettle(hours(2));  // nobody asks: the thread does not authenticate alone
  EXPECT_EQ(AuthRequests(), after_expiry);
  auto expired = provider->Current();  // a caller does, once the cool-down has passed
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kConnectionFailed);
  EXPECT_EQ(AuthRequests(), after_expiry + 1);
}

TEST_F(ManagedTokenProviderTest, FailedRenewalKeepsTheTokenAndRetriesLater) {
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  http_.SetHandler([](const http::Request&) -> Result<http::Response> {
    return MakeError(ErrorCode::kConnectionFailed, "refused");
  });
  AdvanceAndSettle(minutes(55));
  EXPECT_EQ(AuthRequests(), 2u);                            // the renewal failed
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");  // token kept
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");  // no retry yet: cool-down
  EXPECT_EQ(AuthRequests(), 2u);
  AdvanceAndSettle(seconds(30));
  EXPECT_EQ(provider->Current()->token.Reveal(), "tok-1");
  EXPECT_EQ(AuthRequests(), 3u);
  AdvanceAndSettle(minutes(5));  // expired now: the error reaches the caller
  auto expired = provider->Current();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::kConnectionFailed);
  EXPECT_TRUE(logger_.Contains("token renewal attempt 1 failed (identity service unavailable)"));
}

TEST_F(ManagedTokenProviderTest, TokensWithoutExpiryAreNeverRenewedProactively) {
  http_.SetHandler([](const http::Request&) { return V3TokenResponse("tok-x", nullptr); });
  auto provider = MakeProvider();
  ASSERT_TRUE(provider->Current().ok());
  AdvanceAndSettle(hours(24 * 365));
  EXPECT_TRUE(provider->Current().ok());
  EXPECT_EQ(AuthRequests(), 1u);
}

}  // namespace
}  // namespace swiftfs::testing
