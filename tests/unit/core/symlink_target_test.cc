#include "core/symlink_target.h"

#include <gtest/gtest.h>

namespace swiftfs::core {
namespace {

TEST(SymlinkTargetTest, SameDirectory) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/target"), "target");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/link", "c/a/target"), "target");
}

TEST(SymlinkTargetTest, UpAndDown) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/b/link", "c/x/y"), "../../x/y");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/x/y"), "x/y");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/b/link", "c/a/z"), "../z");
}

TEST(SymlinkTargetTest, AccountRootMakesOtherContainersRelative) {
  EXPECT_EQ(MakeLinkTarget({"", ""}, "c", "a/link", "d/x"), "../../d/x");
}

TEST(SymlinkTargetTest, OutsideTheMountIsAbsolute) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "d/x"), "/d/x");
  EXPECT_EQ(MakeLinkTarget({"c", "p/"}, "c", "p/link", "c/q/x"), "/c/q/x");
  EXPECT_EQ(MakeLinkTarget({"c", "p/"}, "c", "p/link", "c/p/x"), "x");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/x", /*foreign_account=*/true), "/c/x");
}

TEST(SymlinkTargetTest, UnrepresentableTargetIsAbsolute) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/a//b"), "/c/a//b");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/../x"), "/c/../x");
}

}  // namespace
}  // namespace swiftfs::core
