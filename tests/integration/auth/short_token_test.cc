// Transparent renewal against a Keystone that issues tokens of a few seconds
// (SWIFTFS_TEST_SHORT_AUTH_URL, SWIFTFS_TEST_SHORT_TOKEN_LIFETIME): a loop of Swift
// requests over three lifetimes where none fails, and about one authentication per
// lifetime, renewed by the provider's background thread. Renewal starts when a fifth of the
// lifetime is left (RenewalMargin), so three lifetimes take three or four token requests; the test
// allows one more or one less.

#include <thread>

#include "integration/auth/auth_integration_fixture.h"

namespace swiftfs::testing {
namespace {

TEST_F(AuthIntegrationTest, ShortLivedTokensAreRenewedWithoutAFailedRequest) {
  SKIP_UNLESS_ENV("OS_USERNAME", "OS_PASSWORD", "SWIFTFS_TEST_SHORT_AUTH_URL",
                  "SWIFTFS_TEST_SHORT_TOKEN_LIFETIME");
  const auto lifetime = std::chrono::seconds(std::stol(*Env("SWIFTFS_TEST_SHORT_TOKEN_LIFETIME")));
  constexpr int kLifetimes = 3;
  auto provider = Make(FromEnvironment({{"auth_url", *Env("SWIFTFS_TEST_SHORT_AUTH_URL")}}));
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  (*provider)->StartBackgroundRenewal();  // as a mount does once it serves

  const auto end = std::chrono::steady_clock::now() + kLifetimes * lifetime;
  int requests = 0;
  int unauthorized_answers = 0;
  while (std::chrono::steady_clock::now() < end) {
    auto response = HeadAccount(**provider);
    ASSERT_TRUE(response.ok()) << "request " << requests << ": " << response.error().ToString();
    ASSERT_EQ(response->status / 100, 2) << "request " << requests;
    ++requests;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const auto& line : logger_.Lines()) {
    if (line.find("answered 401") != std::string::npos) ++unauthorized_answers;
  }
  const uint64_t auths = counters_.Get(Counter::kAuthRequests);
  EXPECT_GE(auths, static_cast<uint64_t>(kLifetimes - 1));
  EXPECT_LE(auths, static_cast<uint64_t>(kLifetimes + 1));
  // Renewal ahead of expiry means Swift never saw an expired token.
  EXPECT_EQ(unauthorized_answers, 0);
  RecordProperty("requests", requests);
  RecordProperty("auth_requests", static_cast<int>(auths));
  std::cout << requests << " Swift requests over " << kLifetimes << " token lifetimes of "
            << lifetime.count() << " s; " << auths << " auth requests\n";
}

}  // namespace
}  // namespace swiftfs::testing
