#include "core/location.h"

#include <gtest/gtest.h>

namespace swiftfs::core {
namespace {

TEST(LocationTest, ChildrenOfTheAccountRootAreContainers) {
  const Location account{};
  const Location c = ChildLocation(account, "c", EntryKind::kDirectory);
  EXPECT_TRUE(IsAccountRoot(account));
  EXPECT_EQ(c.container, "c");
  EXPECT_EQ(c.key, "");
  EXPECT_FALSE(IsAccountRoot(c));
  EXPECT_EQ(DirCacheKey(account), "");
  EXPECT_EQ(DirCacheKey(c), "c/");
}

TEST(LocationTest, DirectoryKeysEndInASlashAndFileKeysDoNot) {
  const Location dir{7, EntryKind::kDirectory, "c", "a/"};
  const Location sub = ChildLocation(dir, "b", EntryKind::kDirectory);
  const Location file = ChildLocation(dir, "f", EntryKind::kFile);
  EXPECT_EQ(sub.key, "a/b/");
  EXPECT_EQ(file.key, "a/f");
  EXPECT_EQ(file.ino, 0u);  // not installed yet
  EXPECT_EQ(ObjectCacheKey(file), "c/a/f");
  EXPECT_EQ(DirCacheKey(sub), "c/a/b/");
}

TEST(LocationTest, ParentPrefixSplitsOffTheLastComponent) {
  // The name is a view into the location's key: the location must outlive it.
  const Location file{0, EntryKind::kFile, "c", "a/b/f"};
  auto [prefix, name] = ParentPrefix(file);
  EXPECT_EQ(prefix, "a/b/");
  EXPECT_EQ(name, "f");
  const Location sub{0, EntryKind::kDirectory, "c", "d/"};
  auto [top, dir] = ParentPrefix(sub);
  EXPECT_EQ(top, "");
  EXPECT_EQ(dir, "d");
}

}  // namespace
}  // namespace swiftfs::core
