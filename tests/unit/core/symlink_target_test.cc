#include "core/symlink_target.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace swiftfs::core {
namespace {

// Resolves `text` lexically from the link's directory, `depth` levels below the mount
// root: false when it is absolute or climbs above the root (it would leave the mount).
bool StaysInside(std::string_view text, size_t depth) {
  if (text.empty() || text.front() == '/') return false;
  long level = static_cast<long>(depth);
  while (true) {
    const size_t slash = text.find('/');
    const std::string_view part = text.substr(0, slash);
    if (part == "..") {
      if (--level < 0) return false;
    } else if (!part.empty() && part != ".") {
      ++level;
    }
    if (slash == std::string_view::npos) return true;
    text.remove_prefix(slash + 1);
  }
}

TEST(SymlinkTargetTest, SameDirectory) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/target"), "target");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/link", "c/a/target"), "target");
}

TEST(SymlinkTargetTest, OtherPseudoDirectory) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/b/link", "c/x/y"), "../../x/y");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/x/y"), "x/y");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/b/link", "c/a/z"), "../z");
  EXPECT_EQ(MakeLinkTarget({"c", "p/"}, "c", "p/link", "c/p/x"), "x");
}

TEST(SymlinkTargetTest, OtherContainerInAnAccountMountIsRelative) {
  EXPECT_EQ(MakeLinkTarget({"", ""}, "c", "a/link", "d/x"), "../../d/x");
}

TEST(SymlinkTargetTest, OtherContainerInAContainerMountDangles) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "d/x"), "swift:/d/x");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "a/b/link", "etc/passwd"), "swift:/etc/passwd");
}

TEST(SymlinkTargetTest, OutsideTheMountedPrefixDangles) {
  EXPECT_EQ(MakeLinkTarget({"c", "p/"}, "c", "p/link", "c/q/x"), "swift:/c/q/x");
  EXPECT_EQ(MakeLinkTarget({"c", "p/"}, "c", "p/link", "c/p"), "swift:/c/p");  // the root
}

TEST(SymlinkTargetTest, CrossAccountDangles) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/x", /*foreign_account=*/true),
            "swift:other-account/c/x");
  EXPECT_EQ(MakeLinkTarget({"", ""}, "c", "link", "d/x", /*foreign_account=*/true),
            "swift:other-account/d/x");
}

TEST(SymlinkTargetTest, DotDotCannotClimb) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/../x"), "swift:/c/%2E%2E/x");
  EXPECT_EQ(MakeLinkTarget({"", ""}, "c", "link", "../../../etc/passwd"),
            "swift:/%2E%2E/%2E%2E/%2E%2E/etc/passwd");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/./x"), "swift:/c/%2E/x");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c/..."), "...");  // a plain name
}

TEST(SymlinkTargetTest, AbsoluteLookingNamesStayRelative) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "/etc/passwd"), "swift://etc/passwd");
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", "c//etc/passwd"), "swift:/c//etc/passwd");
  EXPECT_EQ(MakeLinkTarget({"", ""}, "c", "link", "c/a//b"), "swift:/c/a//b");
}

TEST(SymlinkTargetTest, NulAndPercentAreEscaped) {
  EXPECT_EQ(MakeLinkTarget({"c", ""}, "c", "link", std::string_view("d/a\0b%", 6)),
            "swift:/d/a%00b%25");
}

TEST(SymlinkTargetTest, NoTextEverLeavesTheMount) {
  const std::vector<MountRoot> roots = {{"", ""}, {"c", ""}, {"c", "p/"}, {"c", "p/q/"}};
  const std::vector<std::string> keys = {"link", "p/link", "p/q/link", "p/q/r/link"};
  const std::vector<std::string> targets = {
      "c/x",   "c/p/x",       "c/p/q/x", "d/x",     "c/../../x", "../x",  "/x",     "",
      "c",     "c/p",         "c/p/",    "c/p/q/",  "..",        "c/..",  "c/p/..", "c//x",
      "c/./x", "c/p/q/../..", "%2E%2E",  "swift:/", "c/x/",      "//../", "."};
  for (const auto& root : roots) {
    for (const auto& key : keys) {
      if (!root.prefix.empty() && key.rfind(root.prefix, 0) != 0) continue;
      const size_t depth =
          static_cast<size_t>(std::count(key.begin(), key.end(), '/')) -
          static_cast<size_t>(std::count(root.prefix.begin(), root.prefix.end(), '/')) +
          (root.container.empty() ? 1 : 0);
      for (const auto& target : targets) {
        for (const bool foreign : {false, true}) {
          const std::string text = MakeLinkTarget(root, "c", key, target, foreign);
          EXPECT_TRUE(StaysInside(text, depth)) << root.container << "/" << root.prefix << " "
                                                << key << " -> " << target << " = " << text;
        }
      }
    }
  }
}

}  // namespace
}  // namespace swiftfs::core
