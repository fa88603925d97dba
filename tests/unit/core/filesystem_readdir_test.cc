// OpenDir/ReadDir(plus): request counts for large directories, offsets, lookup counting.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <future>
#include <thread>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;

std::string Numbered(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "f%06d", i);
  return name;
}

class LargeDirectoryTest : public FilesystemTest {
 protected:
  void SetUp() override {
    fake_.SetClusterInfo(swift::ClusterInfo{.container_listing_limit = 10000});
    for (int i = 0; i < 25000; ++i) fake_.PutObject("c", "big/" + Numbered(i), "data");
    Mount();
  }
};

TEST_F(LargeDirectoryTest, ReadDirOf25000EntriesIsThreeListingsAndNoHead) {
  const InodeId big = Ino("big");
  fake_.ResetCounters();
  auto entries = ReadAll(big, false);
  ASSERT_EQ(entries.size(), 25000u);
  EXPECT_EQ(entries.front().name, Numbered(0));
  EXPECT_EQ(entries.back().name, Numbered(24999));
  EXPECT_EQ(fake_.list_objects_count(), 3u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.total_count(), 3u);
}

TEST_F(LargeDirectoryTest, ReadDirPlusThenLookupGetattrOpenCostNothingWhileFresh) {
  const InodeId big = Ino("big");
  fake_.ResetCounters();
  auto entries = ReadAll(big, true);
  ASSERT_EQ(entries.size(), 25000u);
  EXPECT_EQ(fake_.list_objects_count(), 3u);
  for (const DirEntry& e : entries) {
    ASSERT_NE(e.entry.ino, 0u);
    EXPECT_EQ(e.entry.attr.st_size, 4);
    EXPECT_GT(e.entry.attr_timeout.count(), 0);
  }
  for (const DirEntry& e : entries) {
    auto lookup = fs_->Lookup(big, e.name);
    ASSERT_TRUE(lookup.ok());
    EXPECT_EQ(lookup->ino, e.entry.ino);
    ASSERT_TRUE(fs_->GetAttr(e.entry.ino).ok());
    auto open = fs_->Open(e.entry.ino, O_RDONLY);
    ASSERT_TRUE(open.ok());
    fs_->Release(open->handle);
  }
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.total_count(), 3u);
  // Each entry was counted once by readdirplus and once by Lookup.
  fs_->Forget(entries[0].entry.ino, 1);
  EXPECT_TRUE(fs_->GetAttr(entries[0].entry.ino).ok());
  fs_->Forget(entries[0].entry.ino, 1);
  EXPECT_FALSE(fs_->GetAttr(entries[0].entry.ino).ok());
}

// A lookup's probe page starts the directory's listing (FirstPageStore).
class ProbeThenListTest : public FilesystemTest {
 protected:
  void Fill(int count, uint32_t page_limit) {
    fake_.SetClusterInfo(swift::ClusterInfo{.container_listing_limit = page_limit});
    for (int i = 0; i < count; ++i) fake_.PutObject("c", "big/" + Numbered(i), "data");
    Mount();
    fake_.ResetCounters();
  }
  // `ls -l big` on a cold mount: lookup of big, then readdirplus of it.
  std::vector<DirEntry> LookupAndList() {
    const InodeId big = Ino("big");
    return ReadAll(big, true);
  }
};

TEST_F(ProbeThenListTest, TenThousandEntriesCostTwoRequestsWithTheLookup) {
  Fill(10000, 10000);
  auto entries = LookupAndList();
  ASSERT_EQ(entries.size(), 10000u);
  EXPECT_EQ(entries[0].name, Numbered(0));
  EXPECT_EQ(entries[9999].name, Numbered(9999));
  EXPECT_EQ(fake_.total_count(), 2u);
  // The listing went on after the probe's last name, not from the start again.
  const auto requests = fake_.list_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].limit, kLookupProbeEntries);
  EXPECT_EQ(requests[1].marker, "big/" + Numbered(static_cast<int>(kLookupProbeEntries) - 1));
}

TEST_F(ProbeThenListTest, TenPagesWorthCostElevenRequestsWithTheLookup) {
  // 100,000 entries at 10,000 a page, scaled down by ten.
  Fill(10000, 1000);
  auto entries = LookupAndList();
  ASSERT_EQ(entries.size(), 10000u);
  for (size_t i = 0; i < entries.size(); ++i) ASSERT_EQ(entries[i].name, Numbered(int(i)));
  EXPECT_EQ(fake_.total_count(), 11u);
}

TEST_F(ProbeThenListTest, AStaleProbePageIsNotReused) {
  Fill(300, 10000);
  const InodeId big = Ino("big");
  fake_.PutObject("c", "big/" + Numbered(0) + "a", "new");  // inside the probe's range
  clock_.Advance(seconds(3600));
  auto entries = ReadAll(big, false);
  ASSERT_EQ(entries.size(), 301u);
  EXPECT_EQ(entries[1].name, Numbered(0) + "a");
  const auto requests = fake_.list_requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[1].marker.empty());  // listed from the start
}

TEST_F(ProbeThenListTest, AProbePageIsUsedOnce) {
  Fill(300, 10000);
  const InodeId big = Ino("big");
  ASSERT_EQ(ReadAll(big, false).size(), 300u);
  clock_.Advance(seconds(3600));  // the listing goes stale: the next one starts over
  fake_.PutObject("c", "big/" + Numbered(0) + "a", "new");
  ASSERT_EQ(ReadAll(big, false).size(), 301u);
  const auto requests = fake_.list_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_TRUE(requests[2].marker.empty());
}

TEST_F(FilesystemTest, OffsetsAreStableWithinAHandle) {
  for (const char* name : {"a", "b", "c", "d"}) fake_.PutObject("c", name, name);
  Mount();
  auto handle = fs_->OpenDir(kRootInode);
  ASSERT_TRUE(handle.ok());
  std::vector<std::string> first;
  uint64_t resume = 0;
  ASSERT_TRUE(fs_->ReadDir(kRootInode, *handle, 0, false,
                           [&](const DirEntry& e) {
                             if (first.size() == 4) return false;
                             first.push_back(e.name);
                             resume = e.next_offset;
                             return true;
                           })
                  .ok());
  EXPECT_EQ(first, (std::vector<std::string>{".", "..", "a", "b"}));
  // The directory changes; the handle's snapshot does not.
  fake_.PutObject("c", "aa", "new");
  fake_.RemoveObject("c", "c");
  clock_.Advance(seconds(3600));
  std::vector<std::string> rest;
  ASSERT_TRUE(fs_->ReadDir(kRootInode, *handle, resume, false,
                           [&](const DirEntry& e) {
                             rest.push_back(e.name);
                             return true;
                           })
                  .ok());
  EXPECT_EQ(rest, (std::vector<std::string>{"c", "d"}));
  // Rewinding to 0 after the listing went stale takes a new snapshot.
  std::vector<std::string> again;
  ASSERT_TRUE(fs_->ReadDir(kRootInode, *handle, 0, false,
                           [&](const DirEntry& e) {
                             again.push_back(e.name);
                             return true;
                           })
                  .ok());
  EXPECT_EQ(again, (std::vector<std::string>{".", "..", "a", "aa", "b", "d"}));
  fs_->ReleaseDir(*handle);
}

TEST_F(FilesystemTest, WithoutDirectoryCachingOpenDirAndReadDirListOnce) {
  options_.dir_cache_timeout = std::chrono::duration<double>(0);
  fake_.PutObject("c", "a", "1");
  fake_.PutObject("c", "b", "2");
  Mount();
  fake_.ResetCounters();
  // OpenDir's snapshot is stale at once, but the first ReadDir from 0 is no rewind: it
  // uses that snapshot instead of listing the directory a second time.
  auto entries = ReadAll(kRootInode, false);
  EXPECT_EQ(entries.size(), 2u);
  EXPECT_EQ(fake_.list_objects_count(), 1u);
}

TEST_F(FilesystemTest, DotEntriesCarryTheRightInodes) {
  fake_.PutObject("c", "d/f", "x");
  Mount();
  const InodeId d = Ino("d");
  auto handle = fs_->OpenDir(d);
  ASSERT_TRUE(handle.ok());
  std::vector<DirEntry> seen;
  ASSERT_TRUE(fs_->ReadDir(d, *handle, 0, true,
                           [&](const DirEntry& e) {
                             seen.push_back(e);
                             return true;
                           })
                  .ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].entry.ino, d);
  EXPECT_EQ(seen[1].entry.ino, kRootInode);
  EXPECT_TRUE(S_ISDIR(seen[0].entry.attr.st_mode));
  EXPECT_EQ(seen[2].next_offset, 3u);
  fs_->ReleaseDir(*handle);
}

TEST_F(FilesystemTest, RefusedPlusEntryIsNotCounted) {
  fake_.PutObject("c", "only", "x");
  Mount();
  auto handle = fs_->OpenDir(kRootInode);
  ASSERT_TRUE(handle.ok());
  InodeId refused = 0;
  ASSERT_TRUE(fs_->ReadDir(kRootInode, *handle, 2, true,
                           [&](const DirEntry& e) {
                             refused = e.entry.ino;
                             return false;  // buffer full: the kernel never saw this entry
                           })
                  .ok());
  ASSERT_NE(refused, 0u);
  EXPECT_FALSE(fs_->GetAttr(refused).ok());  // its only lookup was taken back: freed
  fs_->ReleaseDir(*handle);
}

TEST_F(FilesystemTest, PlainReadDirCreatesNoInodes) {
  fake_.PutObject("c", "a", "x");
  Mount();
  auto entries = ReadAll(kRootInode, false);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].entry.ino, 0u);
  EXPECT_TRUE(S_ISREG(entries[0].entry.attr.st_mode));
  EXPECT_FALSE(fs_->GetAttr(entries[0].entry.ino).ok());
  const InodeId a = Ino("a");
  auto again = ReadAll(kRootInode, false);
  EXPECT_EQ(again[0].entry.ino, a);  // once it exists, readdir reports its number
}

TEST_F(FilesystemTest, ConcurrentOpenDirsShareOneListing) {
  fake_.PutObject("c", "a", "x");
  Mount();
  std::atomic<int> listings{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  fake_.SetFaultHook(testing::FakeObjectClient::Op::kListObjects,
                     [&](const testing::FakeObjectClient::Call&) -> std::optional<Error> {
                       ++listings;
                       gate.wait();  // hold the first fetch until both threads asked
                       return std::nullopt;
                     });
  auto first = std::async(std::launch::async, [&] { return fs_->OpenDir(kRootInode); });
  while (listings.load() == 0) std::this_thread::yield();
  auto second = std::async(std::launch::async, [&] { return fs_->OpenDir(kRootInode); });
  // The second opener is either waiting on the flight or will find the cached result.
  release.set_value();
  ASSERT_TRUE(first.get().ok());
  ASSERT_TRUE(second.get().ok());
  EXPECT_EQ(listings.load(), 1);
}

TEST_F(FilesystemTest, OpenDirOfAFileFails) {
  fake_.PutObject("c", "f", "x");
  Mount();
  EXPECT_EQ(fs_->OpenDir(Ino("f")).error().code, ErrorCode::kNotADirectory);
  EXPECT_EQ(fs_->Lookup(Ino("f"), "x").error().code, ErrorCode::kNotADirectory);
}

}  // namespace
}  // namespace swiftfs::core
