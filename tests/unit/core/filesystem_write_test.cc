// New files and truncating overwrites: streamed, one PUT below a segment, an SLO above;
// what is stored, which requests it took, and reading it back.
#include <gtest/gtest.h>

#include <tuple>

#include "unit/core/write_fixture.h"

namespace swiftfs::core {
namespace {

// (file size, write size): writes of 1,000 bytes straddle segment boundaries; writes of
// 1,024 fill each segment exactly, as the kernel's do (its buffer is handed over whole).
class StreamSizes : public WriteTest,
                    public ::testing::WithParamInterface<std::tuple<size_t, size_t>> {};

TEST_P(StreamSizes, StoredByteForByteAsOnePutOrSlo) {
  Mount();
  const auto [size, chunk] = GetParam();
  const std::string data = Pattern(size);
  const uint64_t h = CreateFile("f");
  WriteAll(h, data, 0, chunk);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") == data);
  const bool slo = size >= kSegment;
  EXPECT_EQ(IsManifest("f"), slo);
  EXPECT_EQ(fake_.upload_manifest_count(), slo ? 1u : 0u);
  EXPECT_EQ(Segments().size(), slo ? (size + kSegment - 1) / kSegment : 0u);
  for (const std::string& name : Segments()) {
    EXPECT_TRUE(name.rfind("f/swiftfs/", 0) == 0) << name;
    EXPECT_EQ(name.size() - name.rfind('/') - 1, 8u) << name;  // 8-digit index
  }
  EXPECT_EQ(fake_.upload_object_count(), slo ? Segments().size() : 1u);
  auto head = fake_.HeadObject("c", "f");
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->meta_mtime.has_value()) << "every commit stores X-Object-Meta-Mtime";
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, StreamSizes,
    ::testing::Combine(::testing::Values(0, 1, WriteTest::kSegment - 1, WriteTest::kSegment,
                                         WriteTest::kSegment + 1, 10 * WriteTest::kSegment + 17),
                       ::testing::Values(1000, 1024)));

TEST_F(WriteTest, NewFileIsStatedListedAndReadAtOnceWithoutRequests) {
  Mount();
  const std::string data = Pattern(3 * kSegment + 5);
  const uint64_t h = CreateFile("new");
  WriteAll(h, data);
  // While being written: its size and content come from the upload.
  auto attr = fs_->GetAttr(ino_);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, static_cast<off_t>(data.size()));
  EXPECT_EQ(Lookup("new"), ino_);
  EXPECT_TRUE(ReadHandle(h) == data);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);

  fake_.ResetCounters();
  attr = fs_->GetAttr(ino_);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, static_cast<off_t>(data.size()));
  const uint64_t r = OpenFile(ino_, O_RDONLY);
  EXPECT_TRUE(ReadHandle(r) == data);
  fs_->Release(r);
  EXPECT_EQ(fake_.get_range_count(), 0u) << "read from the local copy, not downloaded again";
  EXPECT_EQ(fake_.head_object_count(), 0u);
}

TEST_F(WriteTest, NewFileIsFoundDespiteAListingCachedBeforeIt) {
  fake_.PutObject("c", "old", "x");
  Mount();
  auto dir = fs_->OpenDir(kRootInode);  // caches the root's listing, without "new"
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(fs_->ReadDir(kRootInode, *dir, 0, false, [](const DirEntry&) { return true; }).ok());
  fs_->ReleaseDir(*dir);
  const uint64_t h = CreateFile("new");
  WriteAll(h, "abc");
  EXPECT_EQ(Lookup("new"), ino_);  // while being written
  fs_->Release(h);
  EXPECT_EQ(Lookup("new"), ino_);  // and once committed
  EXPECT_EQ(fs_->GetAttr(ino_)->attr.st_size, 3);
}

TEST_F(WriteTest, WritesSlightlyOutOfOrderStillStream) {
  Mount();
  const std::string data = Pattern(6 * kSegment);
  const uint64_t h = CreateFile("f");
  // Pieces of 1000 bytes, each pair swapped (as parallel kernel writes may arrive).
  std::vector<std::pair<size_t, size_t>> pieces;
  for (size_t i = 0; i < data.size(); i += 1000) {
    pieces.emplace_back(i, std::min<size_t>(1000, data.size() - i));
  }
  for (size_t p = 0; p + 1 < pieces.size(); p += 2) std::swap(pieces[p], pieces[p + 1]);
  for (const auto& [offset, length] : pieces) {
    ASSERT_TRUE(fs_->Write(h, offset, std::span(data.data() + offset, length)).ok());
  }
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") == data);
  EXPECT_EQ(Segments().size(), 6u);
  // Each segment uploaded once: the stream was never staged and uploaded again.
  EXPECT_EQ(fake_.upload_object_count(), 6u);
  EXPECT_EQ(fake_.delete_object_count(), 0u);
}

// Found by e2e write_random_test: out-of-order writes held in the reorder window were
// applied in offset order, so a later write under an earlier one's held bytes was lost.
TEST_F(WriteTest, OverlappingWritesAheadOfTheEndKeepTheLaterBytes) {
  Mount();
  const uint64_t h = CreateFile("f");
  const std::string first(4000, 'E');
  const std::string later(9000, 'I');
  ASSERT_TRUE(fs_->Write(h, 5000, first).ok());  // held: past the end, in the window
  ASSERT_TRUE(fs_->Write(h, 2000, later).ok());  // over the held bytes, starting before them
  std::string expected(11000, '\0');
  expected.replace(5000, first.size(), first);
  expected.replace(2000, later.size(), later);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(Stored("f") == expected);
}

TEST_F(WriteTest, TruncatingOverwriteReplacesAndKeepsUserMetadata) {
  testing::FakeObjectOptions options;
  options.metadata = {{"color", "blue"}};
  fake_.PutObject("c", "f", Pattern(10000, 1), options);
  Mount();
  const InodeId ino = Lookup("f");
  const uint64_t h = OpenFile(ino, O_WRONLY | O_TRUNC);
  WriteAll(h, "short");
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(Stored("f"), "short");
  auto head = fake_.HeadObject("c", "f");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->metadata["color"], "blue");
  auto attr = fs_->GetAttr(ino);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 5);
}

TEST_F(WriteTest, ReadOnlyMountRefusesWrites) {
  options_.read_only = true;
  fake_.PutObject("c", "f", "x");
  Mount();
  auto created = fs_->Create(kRootInode, "g", 0644, O_WRONLY | O_CREAT);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kReadOnly);
  auto open = fs_->Open(Lookup("f"), O_WRONLY);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code, ErrorCode::kReadOnly);
}

TEST_F(WriteTest, CreateExclusiveOfAnExistingNameFails) {
  fake_.PutObject("c", "f", "x");
  Mount();
  auto created = fs_->Create(kRootInode, "f", 0644, O_WRONLY | O_CREAT | O_EXCL);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, ErrorCode::kExists);
}

TEST_F(WriteTest, EmptyCreateStillMakesTheObject) {
  Mount();
  const uint64_t h = CreateFile("touched");
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(Stored("touched"), "");
}

// close(2) of a new, never written file publishes it before returning: the kernel sends
// the release after close has returned, so a commit left to it would be seen late by the
// Swift API (e2e write_files' 0-byte cp) and its errors would reach no program.
TEST_F(WriteTest, FlushOfANewEmptyFilePublishesItBeforeTheRelease) {
  Mount();
  const uint64_t h = CreateFile("empty");
  ASSERT_TRUE(fs_->Flush(h).ok());
  EXPECT_EQ(Stored("empty"), "");
  EXPECT_EQ(fake_.ObjectNames("c"), std::vector<std::string>{"empty"});
  fs_->Release(h);
}

TEST_F(WriteTest, ReleaseWithoutFlushStillCommits) {
  Mount();
  const uint64_t h = CreateFile("f");
  WriteAll(h, "abc");
  fs_->Release(h);
  EXPECT_EQ(Stored("f"), "abc");
}

TEST_F(WriteTest, FileLargerThanTheManifestAllowsIsTooLarge) {
  swift::ClusterInfo info;
  info.slo_max_manifest_segments = 3;
  fake_.SetClusterInfo(info);
  Mount();
  const uint64_t h = CreateFile("f");
  WriteAll(h, Pattern(3 * kSegment));
  auto wrote = fs_->Write(h, 3 * kSegment, std::span<const char>("x", 1));
  ASSERT_FALSE(wrote.ok());
  EXPECT_EQ(wrote.error().code, ErrorCode::kTooLarge);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(Stored("f")->size(), 3 * kSegment);
}

}  // namespace
}  // namespace swiftfs::core
