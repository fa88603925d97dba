// SegmentWriter: segments uploaded with their MD5, and memory bounded by the slots (a
// segment's bytes are freed when its PUT returns, not when the commit collects the uploads).
#include "core/segment_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "core/md5.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

TEST(SegmentWriterTest, ASegmentsBytesAreFreedWhenItsPutReturns) {
  testing::FakeObjectClient fake;
  SegmentSlots slots(1);
  SegmentWriter writer(fake, slots, "c_segments", "f/swiftfs/u1/");
  const std::string first(4096, 'a');
  const std::string second(4096, 'b');
  writer.Submit(0, 0, first);
  // With one slot, the second Submit waits until the first PUT returned: by then the first
  // segment's bytes are gone, so no more than one segment is held at any time (before, the
  // bytes lived on in the finished task until Finish: the whole file in memory).
  writer.Submit(1, first.size(), second);
  EXPECT_LE(writer.held_bytes(), second.size());
  auto segments = writer.Finish();
  ASSERT_TRUE(segments.ok()) << segments.error().ToString();
  EXPECT_EQ(writer.held_bytes(), 0u);
  ASSERT_EQ(segments->size(), 2u);
  EXPECT_EQ((*segments)[0].path, "c_segments/f/swiftfs/u1/00000000");
  EXPECT_EQ((*segments)[0].etag, Md5Hex(first));
  EXPECT_EQ((*segments)[1].etag, Md5Hex(second));
  EXPECT_EQ((*segments)[1].size_bytes, second.size());
  EXPECT_EQ(fake.Stored("c_segments", "f/swiftfs/u1/00000001")->data, second);
}

}  // namespace
}  // namespace swiftfs::core
