#include "swiftfs/common/strings.h"

#include <gtest/gtest.h>

namespace swiftfs {
namespace {

TEST(StringsTest, CaseInsensitive) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Length", "content-length"));
  EXPECT_FALSE(EqualsIgnoreCase("Etag", "Etags"));
  EXPECT_TRUE(CaseInsensitiveLess()("abc", "ABD"));
}

TEST(StringsTest, SplitKeepsEmptyParts) {
  EXPECT_EQ(Split("a//b", '/'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", '/'), (std::vector<std::string>{""}));
}

TEST(StringsTest, Trim) { EXPECT_EQ(TrimWhitespace("  x y\r\n"), "x y"); }

}  // namespace
}  // namespace swiftfs
