// InodeStore: the one "fresh or ask" decision, driven by the fake clock, and the snapshots
// and write-backs the coordinator builds on.
#include "core/inode_store.h"

#include <gtest/gtest.h>

#include <chrono>

#include "support/fake_clock.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;

class InodeStoreTest : public ::testing::Test {
 protected:
  InodeStoreTest() : store_(MakeRoot(), clock_) {}

  static Inode MakeRoot() {
    Inode root;
    root.container = "c";
    root.attrs.expiry = std::chrono::steady_clock::time_point::max();
    return root;
  }

  // Attributes that expire `ttl` from now.
  ObjectAttrs FileAttrs(std::chrono::steady_clock::duration ttl, uint64_t size = 10) {
    ObjectAttrs attrs;
    attrs.size = size;
    attrs.etag = "e" + std::to_string(size);
    attrs.expiry = clock_.Monotonic() + ttl;
    return attrs;
  }

  static Location File(const std::string& key) { return Location{0, EntryKind::kFile, "c", key}; }

  testing::FakeClock clock_;
  InodeStore store_;
};

TEST_F(InodeStoreTest, FileAttributesAreFreshUntilTheirExpiry) {
  const InodeId f = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(10))).ino;
  auto before = store_.Get(f);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->fresh);
  EXPECT_EQ(before->attrs.size, 10u);
  clock_.Advance(seconds(9));
  EXPECT_TRUE(store_.Get(f)->fresh);
  clock_.Advance(seconds(1));
  EXPECT_FALSE(store_.Get(f)->fresh);  // at the expiry: ask
}

TEST_F(InodeStoreTest, AnUnconfirmedSizeIsNeverFresh) {
  ObjectAttrs attrs = FileAttrs(seconds(60), 0);
  attrs.size_verified = false;  // a 0-byte listing entry: maybe a DLO
  const InodeId f = store_.Install(kRootInode, "f", File("f"), attrs).ino;
  EXPECT_FALSE(store_.Get(f)->fresh);
}

TEST_F(InodeStoreTest, DirectoriesAreAlwaysFresh) {
  const Location dir{0, EntryKind::kDirectory, "c", "d/"};
  const InodeId d = store_.Install(kRootInode, "d", dir, ObjectAttrs{}).ino;  // epoch expiry
  EXPECT_TRUE(store_.Get(d)->fresh);
  EXPECT_TRUE(store_.Get(kRootInode)->fresh);
}

TEST_F(InodeStoreTest, SnapshotsCarryTheLocationAndParent) {
  const Location dir{0, EntryKind::kDirectory, "c", "d/"};
  const InodeId d = store_.Install(kRootInode, "d", dir, ObjectAttrs{}).ino;
  const InodeId f = store_.Install(d, "f", File("d/f"), FileAttrs(seconds(1))).ino;
  auto snap = store_.Get(f);
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ(snap->loc.ino, f);
  EXPECT_EQ(snap->loc.kind, EntryKind::kFile);
  EXPECT_EQ(snap->loc.container, "c");
  EXPECT_EQ(snap->loc.key, "d/f");
  EXPECT_EQ(snap->parent, d);
  EXPECT_EQ(store_.ParentOf(f), d);
  EXPECT_EQ(store_.ChildOf(d, "f"), f);
  EXPECT_EQ(store_.ChildOf(d, "g"), std::nullopt);
  EXPECT_EQ(store_.Locate(f)->key, "d/f");
}

TEST_F(InodeStoreTest, AForgottenInodeIsNotFoundAndTakesNoWrites) {
  const InodeId f = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(1))).ino;
  store_.Forget(f, 1);
  EXPECT_EQ(store_.Get(f).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_.Locate(f).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store_.SetAttrs(f, FileAttrs(seconds(1))));
  EXPECT_EQ(store_.ParentOf(f), kRootInode);  // ".." of a forgotten directory
  EXPECT_EQ(store_.size(), 1u);               // the root only
}

TEST_F(InodeStoreTest, SetAttrsMakesAStaleInodeFreshAgain) {
  const InodeId f = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(1))).ino;
  clock_.Advance(seconds(2));
  ASSERT_FALSE(store_.Get(f)->fresh);
  EXPECT_TRUE(store_.SetAttrs(f, FileAttrs(seconds(5), 42)));
  auto snap = store_.Get(f);
  EXPECT_TRUE(snap->fresh);
  EXPECT_EQ(snap->attrs.size, 42u);
}

TEST_F(InodeStoreTest, KeepFreshAttrsKeepsAConfirmedSizeWhileFresh) {
  const InodeId f = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(10), 7)).ino;
  ObjectAttrs listed = FileAttrs(seconds(10), 0);
  listed.size_verified = false;
  auto kept = store_.Install(kRootInode, "f", File("f"), listed, InodeStore::Keep::kFreshAttrs);
  EXPECT_EQ(kept.ino, f);
  EXPECT_EQ(kept.attrs.size, 7u);  // the readdirplus entry did not replace it
  EXPECT_EQ(store_.Get(f)->attrs.size, 7u);
  clock_.Advance(seconds(10));  // now stale: the listing's attributes win
  auto replaced = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(10), 9),
                                 InodeStore::Keep::kFreshAttrs);
  EXPECT_EQ(replaced.attrs.size, 9u);
}

TEST_F(InodeStoreTest, KeepNothingRecordsTheGivenAttributes) {
  store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(10), 7));
  auto again = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(10), 8));
  EXPECT_EQ(again.attrs.size, 8u);
}

TEST_F(InodeStoreTest, KeepFreshAttrsNeverKeepsANewInodesDefaults) {
  // A name that became a directory gets a new inode with the given attributes.
  store_.Install(kRootInode, "x", File("x"), FileAttrs(seconds(10)));
  const Location dir{0, EntryKind::kDirectory, "c", "x/"};
  ObjectAttrs dir_attrs;
  dir_attrs.mtime = swift::WallTime{} + seconds(123);
  dir_attrs.expiry = std::chrono::steady_clock::time_point::max();
  auto installed = store_.Install(kRootInode, "x", dir, dir_attrs, InodeStore::Keep::kFreshAttrs);
  EXPECT_EQ(installed.attrs.mtime, dir_attrs.mtime);
  EXPECT_EQ(store_.Get(installed.ino)->loc.kind, EntryKind::kDirectory);
}

TEST_F(InodeStoreTest, InstallCountsOneLookupEach) {
  const InodeId f = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(1))).ino;
  store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(1)));
  store_.Forget(f, 1);
  EXPECT_TRUE(store_.Get(f).ok());
  store_.Forget(f, 1);
  EXPECT_FALSE(store_.Get(f).ok());
}

TEST_F(InodeStoreTest, SwapCachedEtagTellsWhetherTheKernelHoldsThatVersion) {
  const InodeId f = store_.Install(kRootInode, "f", File("f"), FileAttrs(seconds(1))).ino;
  EXPECT_FALSE(store_.SwapCachedEtag(f, "a"));
  EXPECT_TRUE(store_.SwapCachedEtag(f, "a"));
  EXPECT_FALSE(store_.SwapCachedEtag(f, "b"));
  EXPECT_FALSE(store_.SwapCachedEtag(f, ""));
  EXPECT_FALSE(store_.SwapCachedEtag(f, ""));  // an empty etag never matches
  EXPECT_FALSE(store_.SwapCachedEtag(999, "a"));
}

}  // namespace
}  // namespace swiftfs::core
