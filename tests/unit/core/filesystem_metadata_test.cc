// StatFs and extended attributes.
#include <gtest/gtest.h>

#include <algorithm>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectOptions;

TEST_F(FilesystemTest, StatFsFromTheAccount) {
  fake_.PutObject("c", "a", std::string(10000, 'a'));
  fake_.PutObject("c", "b", std::string(5000, 'b'));
  Mount();
  auto st = fs_->StatFs();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->f_bsize, 4096u);
  // No quota: a nominal 1 PiB capacity, of which ceil(15000 / 4096) = 4 blocks are used.
  EXPECT_EQ(st->f_blocks, (uint64_t{1} << 50) / 4096);
  EXPECT_EQ(st->f_blocks - st->f_bfree, 4u);
  EXPECT_EQ(st->f_bavail, st->f_bfree);
  EXPECT_EQ(st->f_files, 2u);
  EXPECT_EQ(st->f_namemax, 255u);
  EXPECT_TRUE(st->f_flag & ST_RDONLY);
}

TEST_F(FilesystemTest, StatFsWithAQuota) {
  fake_.PutObject("c", "a", std::string(8192, 'a'));
  fake_.SetQuota(4096 * 100);
  Mount();
  auto st = fs_->StatFs();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->f_blocks, 100u);
  EXPECT_EQ(st->f_bfree, 98u);
  EXPECT_EQ(st->f_bavail, 98u);
  ASSERT_TRUE(fs_->StatFs().ok());
  EXPECT_EQ(fake_.head_account_count(), 1u);  // cached for attr_timeout
}

TEST_F(FilesystemTest, XattrsOfAFile) {
  FakeObjectOptions o;
  o.content_type = "text/plain";
  o.metadata = {{"color", "blue"}, {"mtime", "1700000000.5"}};
  fake_.PutObject("c", "f", "hello", o);
  Mount();
  const InodeId f = Ino("f");
  auto names = fs_->ListXattr(f);
  ASSERT_TRUE(names.ok());
  std::vector<std::string> sorted = *names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"user.swift.content_type", "user.swift.etag",
                                              "user.swift.meta.color", "user.swift.meta.mtime",
                                              "user.swift.timestamp"}));
  EXPECT_EQ(*fs_->GetXattr(f, "user.swift.etag"), testing::Md5Hex("hello"));
  EXPECT_EQ(*fs_->GetXattr(f, "user.swift.content_type"), "text/plain");
  EXPECT_EQ(*fs_->GetXattr(f, "user.swift.meta.color"), "blue");
  EXPECT_FALSE(fs_->GetXattr(f, "user.swift.timestamp")->empty());
  EXPECT_EQ(fs_->GetXattr(f, "user.swift.meta.size").error().code, ErrorCode::kNoData);
  EXPECT_EQ(fs_->GetXattr(f, "user.other").error().code, ErrorCode::kNoData);
  // Namespaces this filesystem never has are "not supported", so GNU ls stops asking.
  const uint64_t heads = fake_.head_object_count();
  EXPECT_EQ(fs_->GetXattr(f, "security.selinux").error().code, ErrorCode::kNotSupported);
  EXPECT_EQ(fs_->GetXattr(f, "system.posix_acl_access").error().code, ErrorCode::kNotSupported);
  EXPECT_EQ(fs_->GetXattr(kRootInode, "trusted.x").error().code, ErrorCode::kNotSupported);
  EXPECT_EQ(fake_.head_object_count(), heads);
}

TEST_F(FilesystemTest, XattrsFetchMetadataOnceAndLazily) {
  fake_.PutObject("c", "d/f", "x", FakeObjectOptions{.metadata = {{"k", "v"}}});
  Mount();
  ReadAll(Ino("d"), true);
  const InodeId f = Ino("d/f");
  EXPECT_EQ(fake_.head_object_count(), 0u);  // listing answered lookup
  ASSERT_TRUE(fs_->ListXattr(f).ok());
  ASSERT_TRUE(fs_->GetXattr(f, "user.swift.meta.k").ok());
  ASSERT_TRUE(fs_->GetXattr(f, "user.swift.etag").ok());
  EXPECT_EQ(fake_.head_object_count(), 1u);
}

TEST_F(FilesystemTest, DirectoriesHaveNoXattrs) {
  fake_.PutObject("c", "d/f", "x");
  Mount();
  auto names = fs_->ListXattr(Ino("d"));
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
  EXPECT_EQ(fs_->GetXattr(kRootInode, "user.swift.etag").error().code, ErrorCode::kNoData);
}

}  // namespace
}  // namespace swiftfs::core
