// OpenDir/ReadDir(plus) of directories too large to hold whole
// (FsOptions::stream_directory_entries): read page by page, never cached.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <future>
#include <set>
#include <thread>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectClient;

std::string Numbered(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "f%06d", i);
  return name;
}

std::vector<std::string> NamesOf(const std::vector<DirEntry>& entries) {
  std::vector<std::string> names;
  for (const DirEntry& e : entries) names.push_back(e.name);
  return names;
}

class StreamedDirectoryTest : public FilesystemTest {
 protected:
  void SetUp() override {
    options_.stream_directory_entries = 250;
    fake_.SetClusterInfo(swift::ClusterInfo{.container_listing_limit = 100});
  }
  void Fill(int count) {
    for (int i = 0; i < count; ++i) fake_.PutObject("c", "big/" + Numbered(i), "data");
  }
  // Entries from `offset` on, in one call; the status of that call.
  Status ReadFrom(InodeId dir, uint64_t handle, uint64_t offset, bool plus,
                  std::vector<DirEntry>& out) {
    return fs_->ReadDir(dir, handle, offset, plus, [&](const DirEntry& e) {
      out.push_back(e);
      return true;
    });
  }
};

TEST_F(StreamedDirectoryTest, AThousandEntriesReadCompletelyInOrderOnce) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");  // its probe page (100 entries) starts the listing
  auto entries = ReadAll(big, false);
  ASSERT_EQ(entries.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(entries[i].name, Numbered(i));
  // As many requests as a whole listing after the probe: 100 + 9 x 100 + the empty page.
  EXPECT_EQ(fake_.list_objects_count(), 11u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
}

TEST_F(StreamedDirectoryTest, OpenDirListsOnlyTheFirstChunk) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  fake_.ResetCounters();
  auto handle = fs_->OpenDir(big);
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(fake_.list_objects_count(), 2u);  // after the probe's 100: 200 more, then one over
  std::vector<DirEntry> seen;
  ASSERT_TRUE(fs_->ReadDir(big, *handle, 0, false,
                           [&](const DirEntry& e) {
                             seen.push_back(e);
                             return seen.size() < 200;
                           })
                  .ok());
  EXPECT_EQ(fake_.list_objects_count(), 2u);  // served from the chunk
  fs_->ReleaseDir(*handle);
}

TEST_F(StreamedDirectoryTest, APartialListingNeverAnswersLookups) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  ASSERT_EQ(ReadAll(big, false).size(), 1000u);
  fake_.ResetCounters();
  // Not cached: a name past the first chunk is found, and a missing one asks Swift.
  auto late = fs_->Lookup(big, Numbered(900));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->attr.st_size, 4);
  EXPECT_GT(fake_.total_count(), 0u);
  EXPECT_EQ(fs_->Lookup(big, "missing").error().code, ErrorCode::kNotFound);
}

TEST_F(StreamedDirectoryTest, AtTheThresholdADirectoryIsHeldWholeAndCached) {
  Fill(250);
  Mount();
  const InodeId big = Ino("big");
  ASSERT_EQ(ReadAll(big, false).size(), 250u);
  fake_.ResetCounters();
  ASSERT_TRUE(fs_->Lookup(big, Numbered(200)).ok());
  EXPECT_EQ(fs_->Lookup(big, "missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.total_count(), 0u);  // answered by the cached listing
}

TEST_F(StreamedDirectoryTest, ZeroNeverStreams) {
  options_.stream_directory_entries = 0;
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  ASSERT_EQ(ReadAll(big, false).size(), 1000u);
  fake_.ResetCounters();
  ASSERT_TRUE(fs_->Lookup(big, Numbered(900)).ok());
  EXPECT_EQ(fake_.total_count(), 0u);
}

TEST_F(StreamedDirectoryTest, RewindAfterAPartialReadStartsOver) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  auto handle = fs_->OpenDir(big);
  ASSERT_TRUE(handle.ok());
  // Read 600 entries (past the first chunk), then rewind.
  std::vector<DirEntry> first;
  ASSERT_TRUE(fs_->ReadDir(big, *handle, 0, false,
                           [&](const DirEntry& e) {
                             if (first.size() == 602) return false;
                             first.push_back(e);
                             return true;
                           })
                  .ok());
  ASSERT_EQ(first.back().name, Numbered(599));
  std::vector<DirEntry> again;
  ASSERT_TRUE(ReadFrom(big, *handle, 0, false, again).ok());
  ASSERT_EQ(again.size(), 1002u);
  EXPECT_EQ(again[0].name, ".");
  EXPECT_EQ(again[1].name, "..");
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(again[i + 2].name, Numbered(i));
  // seekdir to a remembered offset before the current chunk: the same entry again.
  std::vector<DirEntry> seek;
  ASSERT_TRUE(ReadFrom(big, *handle, first[300].next_offset, false, seek).ok());
  ASSERT_EQ(seek.size(), 1000u - 299u);
  EXPECT_EQ(seek.front().name, Numbered(299));
  fs_->ReleaseDir(*handle);
}

class StreamedClashTest : public StreamedDirectoryTest,
                          public ::testing::WithParamInterface<int> {};

// x, x-1 and x.txt sort between the object x and the subdir x/. Placed so that they
// straddle a page boundary (at 100) inside the first chunk, the first chunk's end (250
// raw entries) and a later chunk end (at 450, where pages end too).
TEST_P(StreamedClashTest, AnObjectAndItsSubdirAcrossABoundaryAreOneDirectory) {
  const int before = GetParam();  // names sorting before x
  for (int i = 0; i < before; ++i) fake_.PutObject("c", "big/a" + Numbered(i), "data");
  for (const char* name : {"x", "x-1", "x.txt", "x/child"}) {
    fake_.PutObject("c", std::string("big/") + name, "data");
  }
  for (int i = 0; i < 600; ++i) fake_.PutObject("c", "big/y" + Numbered(i), "data");
  Mount();
  const InodeId big = Ino("big");
  for (bool plus : {false, true}) {
    auto entries = ReadAll(big, plus);
    const auto names = NamesOf(entries);
    ASSERT_EQ(names.size(), static_cast<size_t>(before) + 3 + 600);
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
    int x_seen = 0;
    for (const DirEntry& e : entries) {
      if (e.name != "x") continue;
      ++x_seen;
      EXPECT_TRUE(S_ISDIR(e.entry.attr.st_mode));
    }
    EXPECT_EQ(x_seen, 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Boundaries, StreamedClashTest,
                         ::testing::Values(98, 99, 247, 248, 249, 448, 449));

TEST_F(StreamedDirectoryTest, AListingErrorMidStreamIsReturnedAfterTheEntriesEmitted) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  auto handle = fs_->OpenDir(big);
  ASSERT_TRUE(handle.ok());
  fake_.FailNext(FakeObjectClient::Op::kListObjects, 1,
                 MakeError(ErrorCode::kServerError, "503", 503));
  std::vector<DirEntry> got;
  Status failed = ReadFrom(big, *handle, 0, true, got);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kServerError);
  ASSERT_GT(got.size(), 2u);  // ".", ".." and the first chunk came before the error
  for (size_t i = 2; i < got.size(); ++i) {
    EXPECT_EQ(got[i].name, Numbered(static_cast<int>(i - 2)));
    EXPECT_TRUE(fs_->GetAttr(got[i].entry.ino).ok());  // their lookups were counted
  }
  // The next call goes on after them.
  std::vector<DirEntry> rest;
  ASSERT_TRUE(ReadFrom(big, *handle, got.back().next_offset, true, rest).ok());
  ASSERT_EQ(got.size() - 2 + rest.size(), 1000u);
  EXPECT_EQ(rest.front().name, Numbered(static_cast<int>(got.size() - 2)));
  EXPECT_EQ(rest.back().name, Numbered(999));
  fs_->ReleaseDir(*handle);
}

TEST_F(StreamedDirectoryTest, ReadDirPlusInstallsInodesWithListingAttributes) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  fake_.ResetCounters();
  auto entries = ReadAll(big, true);
  ASSERT_EQ(entries.size(), 1000u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  std::set<InodeId> inodes;
  for (const DirEntry& e : entries) {
    ASSERT_NE(e.entry.ino, 0u);
    inodes.insert(e.entry.ino);
    EXPECT_EQ(e.entry.attr.st_size, 4);
    EXPECT_TRUE(S_ISREG(e.entry.attr.st_mode));
    EXPECT_GT(e.entry.attr_timeout.count(), 0);
  }
  EXPECT_EQ(inodes.size(), 1000u);
  // The inodes are real: stat needs no request while the attributes are fresh.
  fake_.ResetCounters();
  auto attr = fs_->GetAttr(entries[900].entry.ino);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 4);
  EXPECT_EQ(fake_.total_count(), 0u);
  // A lookup of a listed name finds the same inode.
  auto lookup = fs_->Lookup(big, entries[900].name);
  ASSERT_TRUE(lookup.ok());
  EXPECT_EQ(lookup->ino, entries[900].entry.ino);
}

TEST_F(StreamedDirectoryTest, ConcurrentOpenersOfAHugeDirectoryEachStreamIt) {
  Fill(1000);
  Mount();
  const InodeId big = Ino("big");
  ASSERT_EQ(ReadAll(big, false).size(), 1000u);  // uses up the lookup's probe page
  std::atomic<int> listings{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  fake_.SetFaultHook(FakeObjectClient::Op::kListObjects,
                     [&](const FakeObjectClient::Call&) -> std::optional<Error> {
                       if (listings++ == 0) gate.wait();  // hold the first fetch
                       return std::nullopt;
                     });
  auto first = std::async(std::launch::async, [&] { return fs_->OpenDir(big); });
  while (listings.load() == 0) std::this_thread::yield();
  // The second opener waits on the first one's flight (or comes after it and lists
  // again): either way it gets a first chunk, never cached, and streams on from its own
  // copy of the cursor.
  auto second = std::async(std::launch::async, [&] { return fs_->OpenDir(big); });
  release.set_value();
  auto a = first.get();
  auto b = second.get();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  fake_.SetFaultHook(FakeObjectClient::Op::kListObjects, nullptr);
  for (uint64_t handle : {*a, *b}) {
    std::vector<DirEntry> entries;
    ASSERT_TRUE(ReadFrom(big, handle, 2, false, entries).ok());
    ASSERT_EQ(entries.size(), 1000u);
    EXPECT_EQ(entries.back().name, Numbered(999));
    fs_->ReleaseDir(handle);
  }
}

}  // namespace
}  // namespace swiftfs::core
