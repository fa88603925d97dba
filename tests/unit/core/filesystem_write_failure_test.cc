// Failures reach the program, and leave Swift as it was: a segment or a manifest that
// fails, a checksum mismatch, quota, a full staging area; and the orphan collector.
#include <gtest/gtest.h>

#include "swiftfs/core/orphan_segments.h"
#include "unit/core/write_fixture.h"

namespace swiftfs::core {
namespace {

Error Quota() { return MakeError(ErrorCode::kQuotaExceeded, "413", 413); }

TEST_F(WriteTest, FailedSegmentLeavesThePreviousVersionAndNoSegments) {
  fake_.PutObject("c", "f", "previous");
  Mount();
  client_.Fail(Verb::kUpload, "/00000002", Quota());
  const uint64_t h = OpenFile(Lookup("f"), O_WRONLY | O_TRUNC);
  const std::string data = Pattern(6 * kSegment);
  // The failure shows at a later write (once the segment's PUT returned) or at flush.
  Status failed_write;
  for (size_t off = 0; off < data.size() && failed_write.ok(); off += 1000) {
    auto wrote =
        fs_->Write(h, off, std::span(data.data() + off, std::min<size_t>(1000, data.size() - off)));
    if (!wrote) failed_write = wrote.error();
  }
  Status flushed = fs_->Flush(h);
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().code, ErrorCode::kQuotaExceeded);
  if (!failed_write.ok()) {
    EXPECT_EQ(failed_write.error().code, ErrorCode::kQuotaExceeded);
  }
  auto again = fs_->Write(h, data.size(), std::span<const char>("x", 1));
  ASSERT_FALSE(again.ok()) << "a write after a failed upload fails";
  EXPECT_EQ(Stored("f"), "previous");
  EXPECT_TRUE(Segments().empty());
  EXPECT_EQ(client_.count(Verb::kManifest), 0u);
  fs_->Release(h);
  EXPECT_EQ(Stored("f"), "previous");
}

TEST_F(WriteTest, FailedManifestLeavesThePreviousVersionAndNoSegments) {
  Mount();
  uint64_t h = CreateFile("f");
  WriteAll(h, Pattern(3 * kSegment, 1));
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  const std::vector<std::string> old_segments = Segments();
  client_.Fail(Verb::kManifest, "f", MakeError(ErrorCode::kNoSpace, "507", 507));
  h = OpenFile(ino_, O_WRONLY | O_TRUNC);
  WriteAll(h, Pattern(4 * kSegment, 2));
  Status flushed = fs_->Flush(h);
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().code, ErrorCode::kNoSpace);
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") == Pattern(3 * kSegment, 1));
  EXPECT_EQ(Segments(), old_segments) << "the new segments deleted, the old ones kept";
}

TEST_F(WriteTest, ChecksumMismatchIsRetriedThenReported) {
  Mount();
  client_.Fail(Verb::kUpload, "f", MakeError(ErrorCode::kChecksumMismatch, "422", 422), 2);
  uint64_t h = CreateFile("f");
  WriteAll(h, "data");
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(Stored("f"), "data");
  EXPECT_EQ(client_.count(Verb::kUpload), 3u);

  client_.Fail(Verb::kUpload, "g", MakeError(ErrorCode::kChecksumMismatch, "422", 422));
  h = CreateFile("g");
  WriteAll(h, "data");
  Status flushed = fs_->Flush(h);
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().code, ErrorCode::kChecksumMismatch);
  fs_->Release(h);
  EXPECT_FALSE(Stored("g").has_value());
}

TEST_F(WriteTest, StagingSizeIsEnforcedWithNoSpace) {
  options_.staging_size = 2 << 20;  // two blocks
  fake_.PutObject("c", "f", Pattern(4 << 20));
  Mount();
  const uint64_t h = OpenFile(Lookup("f"), O_RDWR);
  WriteAll(h, "x", 0);
  WriteAll(h, "x", 1 << 20);
  auto third = fs_->Write(h, 2 << 20, std::span<const char>("x", 1));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kNoSpace);
  fs_->Release(h);
}

TEST_F(WriteTest, ExclusiveCreateLosesToANameCreatedMeanwhile) {
  Mount();
  const uint64_t h = CreateFile("f", O_WRONLY | O_CREAT | O_EXCL);
  fake_.PutObject("c", "f", "other mount");
  WriteAll(h, "mine");
  Status flushed = fs_->Flush(h);
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().code, ErrorCode::kExists);
  fs_->Release(h);
  EXPECT_EQ(Stored("f"), "other mount");
}

class OrphanTest : public WriteTest {
 protected:
  void PutSegment(const std::string& name, swift::WallTime when) {
    testing::FakeObjectOptions options;
    options.last_modified = when;
    fake_.PutObject("c_segments", name, "seg", options);
  }
  Result<OrphanReport> Collect(swift::WallTime now) {
    OrphanOptions options;
    options.min_age = std::chrono::hours(1);
    return CollectOrphanSegments(client_, "c", now, options, logger_);
  }
};

TEST_F(OrphanTest, DeletesOnlyOldUnreferencedSwiftfsUploads) {
  Mount();
  // A committed file (its segments referenced by its manifest).
  const uint64_t h = CreateFile("kept");
  WriteAll(h, Pattern(2 * kSegment));
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  // A renamed manifest's segments (named after a name that no longer exists).
  auto manifest = client_.GetManifest("c", "kept");
  ASSERT_TRUE(manifest.ok());
  client_.PutManifestDirect("c", "renamed", *manifest);
  ASSERT_TRUE(client_.DeleteObject("c", "kept", swift::DeleteMode::kObjectOnly).ok());
  const size_t referenced = Segments().size();

  const swift::WallTime now{std::chrono::hours(1000)};
  PutSegment("crashed/swiftfs/1-1/00000000", now - std::chrono::hours(5));
  PutSegment("crashed/swiftfs/1-1/00000001", now - std::chrono::hours(5));
  PutSegment("inflight/swiftfs/2-2/00000000", now - std::chrono::minutes(5));
  PutSegment("othertool/slo/123/00000000", now - std::chrono::hours(5));
  auto report = Collect(now);
  ASSERT_TRUE(report.ok()) << report.error().ToString();
  EXPECT_EQ(report->uploads_seen, 3u);
  EXPECT_EQ(report->uploads_removed, 1u);
  EXPECT_EQ(report->segments_removed, 2u);
  std::vector<std::string> left = Segments();
  EXPECT_EQ(left.size(), referenced + 2);
  EXPECT_EQ(std::count(left.begin(), left.end(), "crashed/swiftfs/1-1/00000000"), 0);
  EXPECT_EQ(std::count(left.begin(), left.end(), "inflight/swiftfs/2-2/00000000"), 1);
  EXPECT_EQ(std::count(left.begin(), left.end(), "othertool/slo/123/00000000"), 1);
  EXPECT_TRUE(Stored("renamed") == Pattern(2 * kSegment)) << "the renamed file still reads";
}

TEST_F(OrphanTest, NoSegmentContainerIsNothingToDo) {
  Mount();
  auto report = Collect(swift::WallTime{std::chrono::hours(10)});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->uploads_seen, 0u);
}

}  // namespace
}  // namespace swiftfs::core
