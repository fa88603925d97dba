#include "auth/static_token_provider.h"

#include <gtest/gtest.h>

namespace swiftfs::auth {
namespace {

TEST(StaticTokenProviderTest, ServesTheGivenSessionUntilRejected) {
  CapturingLogger logger;
  StaticTokenProvider provider(Secret("given-token-1"), "http://s/v1/AUTH_a/", logger);
  auto session = provider.Current();
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->token.Reveal(), "given-token-1");
  EXPECT_EQ(session->storage_url, "http://s/v1/AUTH_a");
  EXPECT_FALSE(session->expires_at.has_value());
  EXPECT_FALSE(provider.CanRenew());

  auto description = provider.Describe();
  ASSERT_TRUE(description.ok());
  EXPECT_EQ(description->auth_version, "preauth");
  EXPECT_EQ(description->project, "AUTH_a");

  Session stale = *session;
  stale.generation = 0;
  provider.Invalidate(stale);  // not this token
  EXPECT_TRUE(provider.Current().ok());
  provider.Invalidate(*session);
  auto rejected = provider.Current();
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code, ErrorCode::kUnauthorized);
  EXPECT_NE(rejected.error().message.find("OS_AUTH_TOKEN"), std::string::npos);
  EXPECT_FALSE(logger.Contains("given-token-1"));
}

}  // namespace
}  // namespace swiftfs::auth
