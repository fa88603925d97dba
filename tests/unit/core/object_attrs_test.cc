#include "core/object_attrs.h"

#include <gtest/gtest.h>

#include <limits>

namespace swiftfs::core {
namespace {

TEST(MakeStatTest, FileSizeIsTheObjectSize) {
  ObjectAttrs attrs;
  attrs.size = 5;
  const struct stat st = MakeStat(FsOptions{}, 7, EntryKind::kFile, attrs);
  EXPECT_EQ(st.st_ino, 7u);
  EXPECT_EQ(st.st_size, 5);
  EXPECT_EQ(st.st_blocks, 1);
}

TEST(MakeStatTest, SizePastOffTIsClampedNotNegative) {
  ObjectAttrs attrs;
  attrs.size = std::numeric_limits<uint64_t>::max();  // a bogus Content-Length
  const struct stat st = MakeStat(FsOptions{}, 7, EntryKind::kFile, attrs);
  EXPECT_EQ(st.st_size, std::numeric_limits<off_t>::max());
  EXPECT_GT(st.st_blocks, 0);
}

}  // namespace
}  // namespace swiftfs::core
