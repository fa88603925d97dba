#include "swiftfs/common/secret.h"

#include <gtest/gtest.h>

namespace swiftfs {
namespace {

TEST(SecretTest, FingerprintHidesTheToken) {
  Secret token("gAAAAABsecret-token-value");
  const std::string fp = TokenFingerprint(token);
  EXPECT_EQ(fp.rfind("tok:", 0), 0u);
  EXPECT_EQ(fp.find("secret"), std::string::npos);
  EXPECT_EQ(fp, TokenFingerprint(Secret("gAAAAABsecret-token-value")));
  EXPECT_NE(fp, TokenFingerprint(Secret("other")));
  EXPECT_EQ(TokenFingerprint(Secret()), "tok:none");
}

TEST(SecretTest, MoveLeavesSourceEmpty) {
  Secret a("pw");
  Secret b(std::move(a));
  EXPECT_EQ(b.Reveal(), "pw");
  EXPECT_TRUE(a.empty());  // NOLINT: checking moved-from state on purpose
}

}  // namespace
}  // namespace swiftfs
