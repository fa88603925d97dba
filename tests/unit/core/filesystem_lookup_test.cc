// Lookup, GetAttr, ReadLink and Forget against the fake: where answers come from (listing,
// HEAD, caches), the namespace rules, and the three kinds of mount root.
#include <fcntl.h>

#include <gtest/gtest.h>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;
using testing::FakeObjectClient;
using testing::FakeObjectOptions;

TEST_F(FilesystemTest, ColdLookupInASmallDirectoryIsOneListingInAll) {
  fake_.PutObject("c", "dir/file.txt", "hello");
  Mount();
  auto dir = fs_->Lookup(kRootInode, "dir");
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(S_ISDIR(dir->attr.st_mode));
  EXPECT_EQ(fake_.list_objects_count(), 1u);
  // The probe that found `dir` listed all of it: the file inside needs no request.
  auto file = fs_->Lookup(dir->ino, "file.txt");
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(S_ISREG(file->attr.st_mode));
  EXPECT_EQ(file->attr.st_size, 5);
  EXPECT_EQ(file->attr.st_nlink, 1u);
  EXPECT_EQ(file->attr.st_blocks, 1);
  EXPECT_EQ(file->generation, 1u);
  EXPECT_FALSE(fs_->Lookup(dir->ino, "missing").ok());
  EXPECT_EQ(fake_.total_count(), 1u);
}

TEST_F(FilesystemTest, ColdLookupOfAFileInABigDirectoryIsOneListing) {
  for (uint32_t i = 0; i <= kLookupProbeEntries; ++i) {
    fake_.PutObject("c", "dir/f" + std::to_string(1000 + i), "x");
  }
  fake_.PutObject("c", "dir/file.txt", "hello");
  Mount();
  auto dir = fs_->Lookup(kRootInode, "dir");
  ASSERT_TRUE(dir.ok());
  fake_.ResetCounters();
  // The probe saw only part of `dir`: "file.txt" is beyond it.
  auto file = fs_->Lookup(dir->ino, "file.txt");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->attr.st_size, 5);
  // One listing of the names from file.txt to file.txt/...: a file, with its attributes.
  EXPECT_EQ(fake_.list_objects_count(), 1u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
}

TEST_F(FilesystemTest, LookupUsesTheParentsFreshListing) {
  fake_.PutObject("c", "a", "1");
  fake_.PutObject("c", "b", "22");
  Mount();
  ReadAll(kRootInode, false);
  fake_.ResetCounters();
  auto b = fs_->Lookup(kRootInode, "b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->attr.st_size, 2);
  auto missing = fs_->Lookup(kRootInode, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.total_count(), 0u);
}

TEST_F(FilesystemTest, ModesFollowOptions) {
  options_.uid = 1234;
  options_.gid = 5678;
  options_.umask = 027;
  fake_.PutObject("c", "d/f", "x");
  Mount();
  auto d = LookupPath("d");
  auto f = LookupPath("d/f");
  ASSERT_TRUE(d.ok() && f.ok());
  EXPECT_EQ(d->attr.st_mode, S_IFDIR | 0550);
  EXPECT_EQ(f->attr.st_mode, S_IFREG | 0440);
  EXPECT_EQ(f->attr.st_uid, 1234u);
  EXPECT_EQ(f->attr.st_gid, 5678u);
  EXPECT_EQ(d->attr.st_nlink, 2u);
  auto root = fs_->GetAttr(kRootInode);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->attr.st_mode, S_IFDIR | 0550);
  EXPECT_EQ(root->attr.st_ino, kRootInode);
}

TEST_F(FilesystemTest, MtimePrefersMetaMtimeFromHead) {
  FakeObjectOptions o;
  o.last_modified = std::chrono::sys_days{std::chrono::year{2025} / 3 / 1};
  o.meta_mtime = std::chrono::sys_days{std::chrono::year{2020} / 1 / 1} + seconds(1);
  fake_.PutObject("c", "f", "x", o);
  fake_.PutObject("c", "g", "x", FakeObjectOptions{.last_modified = o.last_modified});
  options_.mtime = MtimeSource::kMeta;
  Mount();
  auto f = LookupPath("f");
  auto g = LookupPath("g");
  ASSERT_TRUE(f.ok() && g.ok());
  EXPECT_EQ(f->attr.st_mtim.tv_sec, std::chrono::system_clock::to_time_t(*o.meta_mtime));
  EXPECT_EQ(g->attr.st_mtim.tv_sec, std::chrono::system_clock::to_time_t(*o.last_modified));
}

TEST_F(FilesystemTest, ObjectAndPseudoDirectoryOfTheSameNameIsADirectory) {
  fake_.PutObject("c", "a", "file a");
  fake_.PutObject("c", "a/b", "b");
  Mount();
  auto a = LookupPath("a");  // cold path: the listing probe comes first
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(S_ISDIR(a->attr.st_mode));
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"a"}));  // no duplicate
  EXPECT_EQ(Names(a->ino), (std::vector<std::string>{"b"}));
}

TEST_F(FilesystemTest, DirectoryMarkersOfEachKind) {
  FakeObjectOptions dir_type{.content_type = "application/directory"};
  FakeObjectOptions x_dir_type{.content_type = "application/x-directory"};
  fake_.PutObject("c", "slash/", "");
  fake_.PutObject("c", "typed", "", dir_type);
  fake_.PutObject("c", "xtyped", "", x_dir_type);
  fake_.PutObject("c", "xtyped/inner", "i");
  Mount();
  for (const char* name : {"slash", "typed", "xtyped"}) {  // cold lookups
    auto e = LookupPath(name);
    ASSERT_TRUE(e.ok()) << name;
    EXPECT_TRUE(S_ISDIR(e->attr.st_mode)) << name;
  }
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"slash", "typed", "xtyped"}));
  EXPECT_TRUE(Names(Ino("slash")).empty());
  EXPECT_EQ(Names(Ino("xtyped")), (std::vector<std::string>{"inner"}));
}

TEST_F(FilesystemTest, OddNamesMapByteForByte) {
  const std::vector<std::string> odd = {"with space",       "100%", "#?+&", "'\"\\", "tab\tx", "-n",
                                        "\xe2\x98\x83 snow"};
  for (const auto& name : odd) fake_.PutObject("c", "d/" + name, name);
  Mount();
  const InodeId d = Ino("d");
  for (const auto& name : odd) {
    auto e = fs_->Lookup(d, name);
    ASSERT_TRUE(e.ok()) << name;
    auto data = ReadFile(e->ino);
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(*data, name);
  }
}

TEST_F(FilesystemTest, UnrepresentableNamesAreInvisibleAndNeverAliased) {
  fake_.PutObject("c", "d//x", "empty component");
  fake_.PutObject("c", "d/./x", "dot");
  fake_.PutObject("c", "d/../x", "dotdot");
  fake_.PutObject("c", "d/" + std::string(256, 'n'), "long");
  fake_.PutObject("c", "d/x", "the real x");
  Mount();
  const InodeId d = Ino("d");
  EXPECT_EQ(Names(d), (std::vector<std::string>{"x"}));
  auto x = fs_->Lookup(d, "x");
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*ReadFile(x->ino), "the real x");
  EXPECT_EQ(fs_->Lookup(d, std::string(256, 'n')).error().code, ErrorCode::kNameTooLong);
  EXPECT_EQ(fs_->Lookup(d, "..").error().code, ErrorCode::kNotFound);
}

TEST_F(FilesystemTest, NegativeEntriesAreCachedUntilTheirTtl) {
  options_.negative_timeout = seconds(10);
  fake_.CreateContainer("c");
  Mount();
  fake_.PutObject("c", "other", "x");
  EXPECT_EQ(fs_->Lookup(kRootInode, "late").error().code, ErrorCode::kNotFound);
  const uint64_t requests = fake_.total_count();
  EXPECT_EQ(requests, 1u);  // one bounded listing: neither late nor late/...
  fake_.PutObject("c", "late", "now here");
  EXPECT_EQ(fs_->Lookup(kRootInode, "late").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.total_count(), requests);  // answered by the negative cache
  EXPECT_EQ(fs_->NegativeEntryTimeout(), seconds(10));
  clock_.Advance(seconds(11));
  auto found = fs_->Lookup(kRootInode, "late");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->attr.st_size, 8);
}

TEST_F(FilesystemTest, AttributesRefreshAfterTheirTtl) {
  options_.attr_timeout = seconds(5);
  options_.dir_cache_timeout = seconds(5);
  fake_.PutObject("c", "f", "v1");
  Mount();
  const InodeId f = Ino("f");
  EXPECT_EQ(fs_->GetAttr(f)->attr.st_size, 2);
  fake_.PutObject("c", "f", "version 2");
  const uint64_t requests = fake_.total_count();
  EXPECT_EQ(fs_->GetAttr(f)->attr.st_size, 2);  // still fresh
  EXPECT_EQ(fake_.total_count(), requests);
  clock_.Advance(seconds(6));
  auto attr = fs_->GetAttr(f);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 9);
  EXPECT_EQ(attr->timeout, seconds(5));
  // One request: a HEAD, or (here, f's directory being busy) a listing of the directory.
  EXPECT_EQ(fake_.total_count(), requests + 1);
  fake_.RemoveObject("c", "f");
  clock_.Advance(seconds(6));
  EXPECT_EQ(fs_->GetAttr(f).error().code, ErrorCode::kNotFound);
}

TEST_F(FilesystemTest, DloSizeComesFromHead) {
  fake_.PutObject("c", "dlo", std::string(3000, 'd'), FakeObjectOptions{.is_dlo = true});
  fake_.PutObject("c", "empty", "");
  Mount();
  // readdirplus shows the listed 0 bytes, but tells the kernel not to cache it.
  auto entries = ReadAll(kRootInode, true);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "dlo");
  EXPECT_EQ(entries[0].entry.attr_timeout.count(), 0);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  auto attr = fs_->GetAttr(entries[0].entry.ino);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 3000);
  EXPECT_GT(attr->timeout.count(), 0);
  EXPECT_EQ(fake_.head_object_count(), 1u);
  auto data = ReadFile(entries[0].entry.ino);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->size(), 3000u);
  // A real empty file is confirmed the same way and stays empty.
  auto empty = fs_->Lookup(kRootInode, "empty");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->attr.st_size, 0);
  EXPECT_GT(empty->attr_timeout.count(), 0);
}

TEST_F(FilesystemTest, DloLookedUpColdHasItsRealSize) {
  fake_.PutObject("c", "dlo", std::string(3000, 'd'), FakeObjectOptions{.is_dlo = true});
  Mount();
  auto dlo = LookupPath("dlo");
  ASSERT_TRUE(dlo.ok());
  EXPECT_EQ(dlo->attr.st_size, 3000);
  EXPECT_EQ(*ReadFile(dlo->ino), std::string(3000, 'd'));
}

TEST_F(FilesystemTest, NoDloCheckTrustsZeroByteListingEntries) {
  for (int i = 0; i < 50; ++i) fake_.PutObject("c", "empty" + std::to_string(i), "");
  options_.verify_zero_byte_objects = false;
  Mount();
  auto entries = ReadAll(kRootInode, true);
  ASSERT_EQ(entries.size(), 50u);
  for (const auto& e : entries) {
    EXPECT_GT(e.entry.attr_timeout.count(), 0) << e.name;  // the kernel may cache it
    auto attr = fs_->GetAttr(e.entry.ino);
    ASSERT_TRUE(attr.ok());
    EXPECT_EQ(attr->attr.st_size, 0);
    ASSERT_TRUE(fs_->Open(e.entry.ino, O_RDONLY).ok());
  }
  EXPECT_EQ(fake_.head_object_count(), 0u);  // `ls -l` of empty files: no HEAD each
}

TEST_F(FilesystemTest, SymlinkTargetsRelativeOutsideAndDangling) {
  fake_.PutObject("c", "dir/target", "t");
  fake_.PutSymlink("c", "links/in", "c/dir/target");
  fake_.PutSymlink("c", "links/out", "other/x");
  fake_.PutSymlink("c", "links/dangling", "c/dir/missing");
  Mount();
  const InodeId links = Ino("links");
  auto entries = ReadAll(links, true);
  ASSERT_EQ(entries.size(), 3u);
  for (const auto& e : entries) EXPECT_TRUE(S_ISLNK(e.entry.attr.st_mode)) << e.name;
  EXPECT_EQ(*fs_->ReadLink(Ino("links/in")), "../dir/target");
  EXPECT_EQ(*fs_->ReadLink(Ino("links/out")), "swift:/other/x");  // never a host path
  EXPECT_EQ(*fs_->ReadLink(Ino("links/dangling")), "../dir/missing");
  auto in = LookupPath("links/in");
  EXPECT_EQ(in->attr.st_size, static_cast<off_t>(std::string("../dir/target").size()));
  EXPECT_EQ(fake_.head_object_count(), 0u);  // listings carry the targets
  EXPECT_EQ(fs_->ReadLink(Ino("dir/target")).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(FilesystemTest, SymlinkLookedUpColdUsesHead) {
  fake_.PutSymlink("c", "l", "c/t");
  Mount();
  auto l = LookupPath("l");
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(S_ISLNK(l->attr.st_mode));
  EXPECT_EQ(*fs_->ReadLink(l->ino), "t");
}

// The kernel may evict an inode between two system calls on one path (memory reclaim,
// drop_caches): GNU cp compares the lstat's st_ino with its open's fstat and skips the
// file as "replaced while being copied" when they differ.
TEST_F(FilesystemTest, ForgetFreesInodesAndTheNameGetsItsNumberBack) {
  fake_.PutObject("c", "f", "x");
  Mount();
  auto first = LookupPath("f");
  auto second = LookupPath("f");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->ino, second->ino);  // stable while the kernel holds it
  fs_->Forget(first->ino, 1);
  EXPECT_TRUE(fs_->GetAttr(first->ino).ok());
  fs_->Forget(first->ino, 1);
  EXPECT_EQ(fs_->GetAttr(first->ino).error().code, ErrorCode::kNotFound);
  auto third = LookupPath("f");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->ino, first->ino);
  EXPECT_EQ(third->attr.st_ino, first->attr.st_ino);
  fs_->Forget(kRootInode, 1);
  EXPECT_TRUE(fs_->GetAttr(kRootInode).ok());
}

TEST_F(FilesystemTest, AccountRootListsContainers) {
  options_.container.clear();
  fake_.PutObject("photos", "2024/a.jpg", "jpg");
  fake_.CreateContainer("empty");
  Mount();
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"empty", "photos"}));
  auto photos = fs_->Lookup(kRootInode, "photos");
  ASSERT_TRUE(photos.ok());
  EXPECT_TRUE(S_ISDIR(photos->attr.st_mode));
  EXPECT_EQ(Names(photos->ino), (std::vector<std::string>{"2024"}));
  EXPECT_EQ(*ReadFile(Ino("photos/2024/a.jpg")), "jpg");
  EXPECT_EQ(fs_->Lookup(kRootInode, "nope").error().code, ErrorCode::kNotFound);
}

TEST_F(FilesystemTest, AccountRootColdContainerLookupIsOneHead) {
  options_.container.clear();
  fake_.CreateContainer("photos");
  Mount();
  ASSERT_TRUE(fs_->Lookup(kRootInode, "photos").ok());
  EXPECT_EQ(fake_.head_container_count(), 1u);
  EXPECT_EQ(fake_.total_count(), 1u);
  EXPECT_EQ(fs_->Lookup(kRootInode, "nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fs_->Lookup(kRootInode, "nope").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.head_container_count(), 2u);  // the second miss is cached
}

TEST_F(FilesystemTest, PrefixRoot) {
  options_.prefix = "data/2024";  // normalized to "data/2024/"
  fake_.PutObject("c", "data/2024/jan/x", "x");
  fake_.PutObject("c", "data/2024/feb", "f");
  fake_.PutObject("c", "data/2025/other", "o");
  fake_.PutSymlink("c", "data/2024/link", "c/data/2024/jan/x");
  fake_.PutSymlink("c", "data/2024/up", "c/data/2025/other");
  Mount();
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"feb", "jan", "link", "up"}));
  EXPECT_EQ(*ReadFile(Ino("jan/x")), "x");
  EXPECT_EQ(*fs_->ReadLink(Ino("link")), "jan/x");
  EXPECT_EQ(*fs_->ReadLink(Ino("up")), "swift:/c/data/2025/other");  // outside the prefix
}

TEST_F(FilesystemTest, InitFailsClearlyForAMissingRoot) {
  options_.container = "nope";
  fs_ = std::make_unique<Filesystem>(options_, fake_, clock_, logger_);
  Status init = fs_->Init();
  ASSERT_FALSE(init.ok());
  EXPECT_EQ(init.error().code, ErrorCode::kNotFound);

  fake_.PutObject("c", "real/x", "x");
  options_.container = "c";
  options_.prefix = "missing/";
  fs_ = std::make_unique<Filesystem>(options_, fake_, clock_, logger_);
  EXPECT_EQ(fs_->Init().error().code, ErrorCode::kNotFound);

  options_.prefix = "a//b";
  fs_ = std::make_unique<Filesystem>(options_, fake_, clock_, logger_);
  EXPECT_EQ(fs_->Init().error().code, ErrorCode::kConfig);
}

TEST_F(FilesystemTest, InitUsesTheClustersListingLimit) {
  fake_.SetClusterInfo(swift::ClusterInfo{.container_listing_limit = 7});
  for (int i = 0; i < 15; ++i) fake_.PutObject("c", "f" + std::to_string(i), "x");
  Mount();
  EXPECT_EQ(Names(kRootInode).size(), 15u);
  EXPECT_EQ(fake_.list_objects_count(), 3u);  // 7 + 7 + 1
}

TEST_F(FilesystemTest, ServerErrorsPassThrough) {
  fake_.PutObject("c", "d/f", "x");
  Mount();
  fake_.FailNext(FakeObjectClient::Op::kListObjects, 1,
                 MakeError(ErrorCode::kServerError, "503", 503));
  EXPECT_EQ(fs_->Lookup(kRootInode, "d").error().code, ErrorCode::kServerError);
  EXPECT_TRUE(fs_->Lookup(kRootInode, "d").ok());  // errors are not cached
}

}  // namespace
}  // namespace swiftfs::core
