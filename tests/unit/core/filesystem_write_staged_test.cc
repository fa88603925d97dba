// Everything that is not a plain stream: random writes, appends, reopen without O_TRUNC,
// truncate, two handles, fsync then more writes, utimens. Checked byte for byte in the
// fake's store, and for what each costs (fetches of the old content).
#include <gtest/gtest.h>

#include "unit/core/write_fixture.h"

namespace swiftfs::core {
namespace {

TEST_F(WriteTest, RandomWritesInAnExistingObject) {
  std::string expected = Pattern(3 << 20, 1);  // three 1 MiB staging blocks
  fake_.PutObject("c", "f", expected);
  Mount();
  const uint64_t h = OpenFile(Lookup("f"), O_RDWR);
  const std::string patch = "PATCHED";
  WriteAll(h, patch, 100);
  WriteAll(h, patch, (2 << 20) + 5);
  WriteAll(h, patch, 5);  // behind the previous write
  expected.replace(100, patch.size(), patch);
  expected.replace((2 << 20) + 5, patch.size(), patch);
  expected.replace(5, patch.size(), patch);
  EXPECT_TRUE(ReadHandle(h, 4 << 20) == expected);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") == expected);
  EXPECT_TRUE(client_.IsManifest("c", "f")) << "3 MiB > segment size: segments";
}

TEST_F(WriteTest, AppendStagesOnlyTheLastBlock) {
  const std::string old = Pattern((2 << 20) + 10, 2);
  fake_.PutObject("c", "log", old);
  Mount();
  const InodeId ino = Lookup("log");
  const uint64_t h = OpenFile(ino, O_WRONLY | O_APPEND);
  fake_.ResetCounters();
  WriteAll(h, "line 1\n", old.size());
  WriteAll(h, "line 2\n", old.size() + 7);
  // Only the partly written last block was fetched.
  EXPECT_EQ(fake_.bytes_served(), 10u);
  auto attr = fs_->GetAttr(ino);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, static_cast<off_t>(old.size() + 14));
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("log") == old + "line 1\nline 2\n");
}

TEST_F(WriteTest, ReopenWithoutTruncKeepsTheRest) {
  fake_.PutObject("c", "f", "0123456789");
  Mount();
  const uint64_t h = OpenFile(Lookup("f"), O_WRONLY);
  WriteAll(h, "ab", 0);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(Stored("f"), "ab23456789");
}

TEST_F(WriteTest, TruncateShrinkAndGrowWithoutAnOpenFile) {
  fake_.PutObject("c", "f", "0123456789");
  Mount();
  const InodeId ino = Lookup("f");
  SetAttrRequest shrink;
  shrink.size = 4;
  auto attr = fs_->SetAttr(ino, shrink, std::nullopt);
  ASSERT_TRUE(attr.ok()) << attr.error().ToString();
  EXPECT_EQ(attr->attr.st_size, 4);
  EXPECT_EQ(Stored("f"), "0123");
  SetAttrRequest grow;
  grow.size = 8;
  ASSERT_TRUE(fs_->SetAttr(ino, grow, std::nullopt).ok());
  EXPECT_EQ(Stored("f"), std::string("0123\0\0\0\0", 8));
  SetAttrRequest zero;
  zero.size = 0;
  const uint64_t gets_before = fake_.get_range_count();
  ASSERT_TRUE(fs_->SetAttr(ino, zero, std::nullopt).ok());
  EXPECT_EQ(Stored("f"), "");
  EXPECT_EQ(fake_.get_range_count(), gets_before) << "truncate to 0 reads nothing";
}

TEST_F(WriteTest, FtruncateOfAStreamedFileThenMoreWrites) {
  Mount();
  const uint64_t h = CreateFile("f");
  WriteAll(h, Pattern(3 * kSegment));
  SetAttrRequest shrink;
  shrink.size = 100;
  ASSERT_TRUE(fs_->SetAttr(ino_, shrink, h).ok());
  WriteAll(h, "tail", 200);  // past the end: a hole of zeros between
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") ==
              Pattern(3 * kSegment).substr(0, 100) + std::string(100, '\0') + "tail");
  EXPECT_TRUE(Segments().empty()) << "segments of the abandoned stream are deleted";
}

TEST_F(WriteTest, TwoHandlesShareOneUpload) {
  Mount();
  const uint64_t a = CreateFile("f", O_RDWR | O_CREAT);
  const uint64_t b = OpenFile(ino_, O_RDWR);
  WriteAll(a, "aaaa", 0);
  WriteAll(b, "bb", 2);
  EXPECT_EQ(ReadHandle(a), "aabb");
  ASSERT_TRUE(fs_->Flush(b).ok());
  EXPECT_EQ(Stored("f"), "aabb");
  WriteAll(a, "cc", 4);
  fs_->Release(b);
  ASSERT_TRUE(fs_->Flush(a).ok());
  fs_->Release(a);
  EXPECT_EQ(Stored("f"), "aabbcc");
}

TEST_F(WriteTest, FsyncPublishesAndWritingGoesOn) {
  Mount();
  const uint64_t h = CreateFile("f");
  const std::string first = Pattern(2 * kSegment + 1);
  WriteAll(h, first);
  ASSERT_TRUE(fs_->Fsync(h, false).ok());
  EXPECT_TRUE(Stored("f") == first);
  const std::vector<std::string> first_segments = Segments();
  EXPECT_EQ(first_segments.size(), 3u);
  WriteAll(h, "more", first.size());
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") == first + "more");
  // The first version's segments went once the second was committed.
  for (const std::string& name : Segments()) {
    EXPECT_EQ(std::count(first_segments.begin(), first_segments.end(), name), 0) << name;
  }
  EXPECT_EQ(Segments().size(), 3u);
}

TEST_F(WriteTest, OverwriteOfAnSloDeletesOnlyItsOwnSegments) {
  Mount();
  uint64_t h = CreateFile("a");
  WriteAll(h, Pattern(2 * kSegment, 3));
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  // A rename elsewhere copied a's manifest to b: b shares a's segments.
  auto manifest = client_.GetManifest("c", "a");
  ASSERT_TRUE(manifest.ok());
  client_.PutManifestDirect("c", "b", *manifest);
  const size_t shared = Segments().size();
  // Overwriting b must not delete a's segments (they carry a's name).
  h = OpenFile(Lookup("b"), O_WRONLY | O_TRUNC);
  WriteAll(h, "small");
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(Segments().size(), shared);
  EXPECT_TRUE(Stored("a") == Pattern(2 * kSegment, 3));
  // Overwriting a deletes them.
  h = OpenFile(Lookup("a"), O_WRONLY | O_TRUNC);
  WriteAll(h, "small");
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Segments().empty());
}

TEST_F(WriteTest, UtimensStoresMtimeInTheCommitOrByPost) {
  testing::FakeObjectOptions options;
  options.metadata = {{"color", "blue"}};
  fake_.PutObject("c", "old", "x", options);
  Mount();
  const swift::WallTime when{std::chrono::seconds(1'500'000'000)};
  struct timespec ts {};
  ts.tv_sec = 1'500'000'000;
  SetAttrRequest times;
  times.mtime = ts;
  // A committed file: a POST that keeps the other metadata.
  const InodeId old = Lookup("old");
  auto attr = fs_->SetAttr(old, times, std::nullopt);
  ASSERT_TRUE(attr.ok()) << attr.error().ToString();
  EXPECT_EQ(attr->attr.st_mtim.tv_sec, ts.tv_sec);
  auto head = fake_.HeadObject("c", "old");
  EXPECT_EQ(head->meta_mtime, when);
  EXPECT_EQ(head->metadata["color"], "blue");
  EXPECT_EQ(client_.count(Verb::kUpload), 0u);
  // A file being written: stored by its commit (cp -p: write, utimens, close).
  const uint64_t h = CreateFile("new");
  WriteAll(h, "data");
  ASSERT_TRUE(fs_->SetAttr(ino_, times, h).ok());
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(fake_.HeadObject("c", "new")->meta_mtime, when);
  EXPECT_EQ(fs_->GetAttr(ino_)->attr.st_mtim.tv_sec, ts.tv_sec);
}

TEST_F(WriteTest, ChmodAndChownAreAcceptedAndIgnored) {
  fake_.PutObject("c", "f", "x");
  Mount();
  SetAttrRequest request;
  request.mode = 0600;
  request.uid = 1234;
  ASSERT_TRUE(fs_->SetAttr(Lookup("f"), request, std::nullopt).ok());
  EXPECT_EQ(client_.count(Verb::kUpload) + client_.count(Verb::kPost), 0u);
}

}  // namespace
}  // namespace swiftfs::core
