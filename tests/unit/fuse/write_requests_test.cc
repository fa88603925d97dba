// The write callbacks' translations: setattr's FUSE_SET_ATTR_* bits and rename's flags.

#include "fuse/write_requests.h"

#include <fuse_lowlevel.h>
#include <gtest/gtest.h>

#include <cstdio>

namespace swiftfs::fuse::internal {
namespace {

struct stat Attr() {
  struct stat attr {};
  attr.st_mode = S_IFREG | 04751;
  attr.st_uid = 7;
  attr.st_gid = 8;
  attr.st_size = 12345;
  attr.st_atim = {100, 1};
  attr.st_mtim = {200, 2};
  return attr;
}

constexpr struct timespec kNow = {300, 3};

TEST(WriteRequestsTest, NothingSetChangesNothing) {
  const core::SetAttrRequest r = ToSetAttrRequest(Attr(), 0, kNow);
  EXPECT_FALSE(r.size || r.mode || r.uid || r.gid || r.atime || r.mtime);
}

TEST(WriteRequestsTest, EachBitTakesItsField) {
  const struct stat attr = Attr();
  EXPECT_EQ(ToSetAttrRequest(attr, FUSE_SET_ATTR_MODE, kNow).mode, 04751u);  // no S_IFREG
  EXPECT_EQ(ToSetAttrRequest(attr, FUSE_SET_ATTR_UID, kNow).uid, 7u);
  EXPECT_EQ(ToSetAttrRequest(attr, FUSE_SET_ATTR_GID, kNow).gid, 8u);
  EXPECT_EQ(ToSetAttrRequest(attr, FUSE_SET_ATTR_SIZE, kNow).size, 12345u);
  const auto times = ToSetAttrRequest(attr, FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME, kNow);
  ASSERT_TRUE(times.atime && times.mtime);
  EXPECT_EQ(times.atime->tv_sec, 100);
  EXPECT_EQ(times.atime->tv_nsec, 1);
  EXPECT_EQ(times.mtime->tv_sec, 200);
  EXPECT_EQ(times.mtime->tv_nsec, 2);
  EXPECT_FALSE(times.size || times.mode);
}

TEST(WriteRequestsTest, NowBitsTakeTheCurrentTime) {
  // touch(1): utimensat(UTIME_NOW) arrives as ATIME|ATIME_NOW|MTIME|MTIME_NOW.
  const auto r = ToSetAttrRequest(
      Attr(),
      FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW,
      kNow);
  ASSERT_TRUE(r.atime && r.mtime);
  EXPECT_EQ(r.atime->tv_sec, 300);
  EXPECT_EQ(r.mtime->tv_sec, 300);
  EXPECT_EQ(r.mtime->tv_nsec, 3);
  // Only the mtime "now" (utimensat with {UTIME_OMIT, UTIME_NOW}).
  const auto m = ToSetAttrRequest(Attr(), FUSE_SET_ATTR_MTIME_NOW, kNow);
  EXPECT_FALSE(m.atime);
  ASSERT_TRUE(m.mtime);
  EXPECT_EQ(m.mtime->tv_sec, 300);
}

TEST(WriteRequestsTest, BitsWithoutAFieldAreIgnored) {
  const auto r = ToSetAttrRequest(
      Attr(), FUSE_SET_ATTR_CTIME | FUSE_SET_ATTR_FORCE | FUSE_SET_ATTR_KILL_SUID, kNow);
  EXPECT_FALSE(r.size || r.mode || r.uid || r.gid || r.atime || r.mtime);
}

TEST(WriteRequestsTest, RenameFlags) {
  EXPECT_EQ(*ToRenameMode(0), core::RenameMode::kReplace);
  EXPECT_EQ(*ToRenameMode(RENAME_NOREPLACE), core::RenameMode::kNoReplace);
  EXPECT_EQ(*ToRenameMode(RENAME_EXCHANGE), core::RenameMode::kExchange);
  auto both = ToRenameMode(RENAME_NOREPLACE | RENAME_EXCHANGE);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ToRenameMode(1u << 2));  // RENAME_WHITEOUT
}

}  // namespace
}  // namespace swiftfs::fuse::internal
