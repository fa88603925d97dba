#include "core/inode_table.h"

#include <gtest/gtest.h>

namespace swiftfs::core {
namespace {

InodeTable MakeTable() {
  Inode root;
  root.container = "c";
  return InodeTable(std::move(root));
}

TEST(InodeTableTest, UpsertKeepsIdsAndNames) {
  InodeTable table = MakeTable();
  Inode& a = table.Upsert(kRootInode, "a", EntryKind::kDirectory, "c", "a/");
  EXPECT_GT(a.id, kRootInode);
  EXPECT_EQ(a.name(), "a");
  Inode& f = table.Upsert(a.id, "f", EntryKind::kFile, "c", "a/f");
  EXPECT_EQ(f.name(), "f");
  EXPECT_EQ(table.Upsert(a.id, "f", EntryKind::kFile, "c", "a/f").id, f.id);
  EXPECT_EQ(table.FindChild(a.id, "f"), &f);
  EXPECT_EQ(table.FindChild(kRootInode, "f"), nullptr);
}

TEST(InodeTableTest, ForgetFreesAtZeroButNeverTheRoot) {
  InodeTable table = MakeTable();
  Inode& f = table.Upsert(kRootInode, "f", EntryKind::kFile, "c", "f");
  const InodeId id = f.id;
  f.lookups = 3;
  table.Forget(id, 2);
  ASSERT_NE(table.Find(id), nullptr);
  table.Forget(id, 1);
  EXPECT_EQ(table.Find(id), nullptr);
  EXPECT_EQ(table.FindChild(kRootInode, "f"), nullptr);
  table.Forget(kRootInode, 100);
  EXPECT_NE(table.Find(kRootInode), nullptr);
  table.Forget(9999, 1);  // unknown ids are ignored
  EXPECT_EQ(table.size(), 1u);
}

TEST(InodeTableTest, KindChangeGivesANewInodeAndOldOneLivesUntilForgotten) {
  InodeTable table = MakeTable();
  Inode& file = table.Upsert(kRootInode, "x", EntryKind::kFile, "c", "x");
  file.lookups = 1;
  const InodeId old_id = file.id;
  Inode& dir = table.Upsert(kRootInode, "x", EntryKind::kDirectory, "c", "x/");
  EXPECT_NE(dir.id, old_id);
  EXPECT_EQ(table.FindChild(kRootInode, "x")->id, dir.id);
  ASSERT_NE(table.Find(old_id), nullptr);
  table.Forget(old_id, 1);
  EXPECT_EQ(table.Find(old_id), nullptr);
  EXPECT_EQ(table.FindChild(kRootInode, "x")->id, dir.id);  // not unlinked by the old one
}

TEST(InodeTableTest, MoveRenamesAndTakesTheNameFromItsHolder) {
  InodeTable table = MakeTable();
  const InodeId f = table.Upsert(kRootInode, "f", EntryKind::kFile, "c", "f").id;
  const InodeId g = table.Upsert(kRootInode, "g", EntryKind::kFile, "c", "g").id;
  const InodeId d = table.Upsert(kRootInode, "d", EntryKind::kDirectory, "c", "d/").id;
  table.Move(f, d, "c", "d/g");
  EXPECT_EQ(table.FindChild(kRootInode, "f"), nullptr);
  ASSERT_NE(table.FindChild(d, "g"), nullptr);
  EXPECT_EQ(table.FindChild(d, "g")->id, f);
  EXPECT_EQ(table.Find(f)->key, "d/g");
  EXPECT_EQ(table.Find(f)->parent, d);
  table.Move(f, kRootInode, "c", "g");  // over g: g keeps its id, loses its name
  EXPECT_EQ(table.FindChild(kRootInode, "g")->id, f);
  EXPECT_TRUE(table.Linked(f));
  EXPECT_FALSE(table.Linked(g));
  ASSERT_NE(table.Find(g), nullptr);
  table.Find(g)->lookups = 1;
  table.Forget(g, 1);  // a replaced inode is freed without touching the new holder's name
  EXPECT_EQ(table.FindChild(kRootInode, "g")->id, f);
}

TEST(InodeTableTest, MovingADirectoryMovesItsKnownDescendants) {
  InodeTable table = MakeTable();
  const InodeId d = table.Upsert(kRootInode, "d", EntryKind::kDirectory, "c", "d/").id;
  const InodeId s = table.Upsert(d, "s", EntryKind::kDirectory, "c", "d/s/").id;
  const InodeId x = table.Upsert(s, "x", EntryKind::kFile, "c", "d/s/x").id;
  const InodeId other = table.Upsert(kRootInode, "dd", EntryKind::kFile, "c", "dd").id;
  table.Move(d, kRootInode, "c", "e/");
  EXPECT_EQ(table.Find(d)->key, "e/");
  EXPECT_EQ(table.Find(s)->key, "e/s/");
  EXPECT_EQ(table.Find(x)->key, "e/s/x");
  EXPECT_EQ(table.FindChild(s, "x")->id, x);
  EXPECT_EQ(table.FindChild(d, "s")->id, s);
  EXPECT_EQ(table.FindChild(kRootInode, "e")->id, d);
  EXPECT_EQ(table.Find(other)->key, "dd");  // a name that merely starts alike stays
}

TEST(InodeTableTest, DetachFreesTheNameButKeepsTheInode) {
  InodeTable table = MakeTable();
  Inode& f = table.Upsert(kRootInode, "f", EntryKind::kFile, "c", "f");
  const InodeId id = f.id;
  EXPECT_TRUE(table.Linked(id));
  table.Detach(kRootInode, "f");
  EXPECT_EQ(table.FindChild(kRootInode, "f"), nullptr);
  EXPECT_NE(table.Find(id), nullptr);
  EXPECT_FALSE(table.Linked(id));
  EXPECT_TRUE(table.Linked(kRootInode));
  EXPECT_NE(table.Upsert(kRootInode, "f", EntryKind::kFile, "c", "f").id, id);
}

TEST(InodeTableTest, IdsNeverGoToAnotherName) {
  InodeTable table = MakeTable();
  const InodeId first = table.Upsert(kRootInode, "a", EntryKind::kFile, "c", "a").id;
  table.Forget(first, 1);
  const InodeId other = table.Upsert(kRootInode, "b", EntryKind::kFile, "c", "b").id;
  EXPECT_NE(other, first);
}

// The kernel may evict an inode between an lstat and the open of the same path (memory
// reclaim, drop_caches): the name looked up again must have the same st_ino, or GNU cp
// skips the file as "replaced while being copied".
TEST(InodeTableTest, AForgottenNameGetsItsNumberBack) {
  InodeTable table = MakeTable();
  const InodeId d = table.Upsert(kRootInode, "d", EntryKind::kDirectory, "c", "d/").id;
  const InodeId f = table.Upsert(d, "f", EntryKind::kFile, "c", "d/f").id;
  table.Forget(f, 1);
  table.Forget(d, 1);
  ASSERT_EQ(table.size(), 1u);
  const InodeId d_again = table.Upsert(kRootInode, "d", EntryKind::kDirectory, "c", "d/").id;
  EXPECT_EQ(d_again, d);
  EXPECT_EQ(table.Upsert(d_again, "f", EntryKind::kFile, "c", "d/f").id, f);
  // Taken once: forgotten again and looked up again, still the same number.
  table.Forget(f, 1);
  EXPECT_EQ(table.Upsert(d_again, "f", EntryKind::kFile, "c", "d/f").id, f);
}

TEST(InodeTableTest, ARememberedNumberIsOnlyForTheSameKind) {
  InodeTable table = MakeTable();
  const InodeId file = table.Upsert(kRootInode, "x", EntryKind::kFile, "c", "x").id;
  table.Forget(file, 1);
  const InodeId symlink = table.Upsert(kRootInode, "x", EntryKind::kSymlink, "c", "x").id;
  EXPECT_NE(symlink, file);
  table.Forget(symlink, 1);
  EXPECT_EQ(table.Upsert(kRootInode, "x", EntryKind::kSymlink, "c", "x").id, symlink);
}

TEST(InodeTableTest, ADetachedInodeLeavesNoNumberForItsOldName) {
  InodeTable table = MakeTable();
  Inode& f = table.Upsert(kRootInode, "f", EntryKind::kFile, "c", "f");
  const InodeId old_id = f.id;
  f.lookups = 1;
  table.Detach(kRootInode, "f");
  table.Forget(old_id, 1);  // the unlinked file's last forget
  EXPECT_NE(table.Upsert(kRootInode, "f", EntryKind::kFile, "c", "f").id, old_id);
}

TEST(InodeTableTest, OnlyTheLastForgottenNamesAreRemembered) {
  Inode root;
  root.container = "c";
  InodeTable table(std::move(root), 2);
  const InodeId a = table.Upsert(kRootInode, "a", EntryKind::kFile, "c", "a").id;
  const InodeId b = table.Upsert(kRootInode, "b", EntryKind::kFile, "c", "b").id;
  const InodeId c = table.Upsert(kRootInode, "c", EntryKind::kFile, "c", "c").id;
  table.Forget(a, 1);
  table.Forget(b, 1);
  table.Forget(c, 1);
  EXPECT_NE(table.Upsert(kRootInode, "a", EntryKind::kFile, "c", "a").id, a);
  EXPECT_EQ(table.Upsert(kRootInode, "b", EntryKind::kFile, "c", "b").id, b);
  EXPECT_EQ(table.Upsert(kRootInode, "c", EntryKind::kFile, "c", "c").id, c);
}

TEST(InodeTableTest, ContainerNamesBelowAccountRoot) {
  Inode root;
  InodeTable table(std::move(root));
  Inode& c = table.Upsert(kRootInode, "photos", EntryKind::kDirectory, "photos", "");
  EXPECT_EQ(c.name(), "photos");
  EXPECT_EQ(table.FindChild(kRootInode, "photos"), &c);
}

}  // namespace
}  // namespace swiftfs::core
