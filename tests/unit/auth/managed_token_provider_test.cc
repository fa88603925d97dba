// ManagedTokenProvider: one token reused, single flight, invalidation, revocation.
#include "unit/auth/managed_token_provider_fixture.h"

namespace swiftfs::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

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

}  // namespace
}  // namespace swiftfs::testing
