// The core tells the reader factory where an opened file stands in its directory's fresh
// listing (listed_position.h), and the Prefetcher reads a walk's next files ahead: a copy
// of a directory costs one GET per file, a random open costs what it did, and an object
// changed since its listing is read anew.

#include <gtest/gtest.h>

#include "swiftfs/cache/prefetcher.h"
#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

class FilesystemTreeReadTest : public FilesystemTest {
 protected:
  void MountWithPrefetcher(uint32_t tree_files) {
    cache::PrefetchOptions options;
    options.tree_files = tree_files;
    options.tree_threads = 2;
    prefetcher_ = std::make_unique<cache::Prefetcher>(fake_, counters_, options);
    fs_ = std::make_unique<Filesystem>(options_, fake_, *prefetcher_, clock_, logger_, counters_);
    ASSERT_TRUE(fs_->Init().ok());
    fake_.ResetCounters();
  }
  void PutFiles(const std::string& dir, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      const std::string name = dir + "/f" + std::to_string(1000 + i);
      data_[name] = std::string(1000 + 37 * i, static_cast<char>('a' + i % 26));
      fake_.PutObject("c", name, data_[name]);
    }
  }
  // A lookup in directory `dir` (the kernel keeps the directory's own entry).
  InodeId InoIn(InodeId dir, const std::string& name) {
    auto reply = fs_->Lookup(dir, name);
    EXPECT_TRUE(reply.ok()) << name;
    return reply.ok() ? reply->ino : 0;
  }
  void TearDown() override {
    fs_.reset();  // its readers before the prefetcher
    prefetcher_.reset();
  }

  std::unique_ptr<cache::Prefetcher> prefetcher_;
  std::map<std::string, std::string> data_;
};

TEST_F(FilesystemTreeReadTest, CopyingADirectoryCostsOneGetPerFileAndReadsAhead) {
  PutFiles("d", 50);
  MountWithPrefetcher(16);
  const InodeId d = Ino("d");
  const auto entries = ReadAll(d, /*plus=*/true);  // what rsync, cp -r and tar do first
  ASSERT_EQ(entries.size(), 50u);
  fake_.ResetCounters();
  for (const DirEntry& e : entries) {
    auto data = ReadFile(InoIn(d, e.name), 64 * 1024);
    ASSERT_TRUE(data.ok()) << e.name;
    EXPECT_EQ(*data, data_["d/" + e.name]);
  }
  prefetcher_->WaitIdle();
  EXPECT_EQ(fake_.get_range_count(), 50u);
  EXPECT_EQ(fake_.total_count(), 50u);  // names and attributes came from the listing
  EXPECT_EQ(counters_.Get(Counter::kTreeReadAheadHits), 48u);
  EXPECT_EQ(counters_.Get(Counter::kTreeReadAheadWastedBytes), 0u);
}

TEST_F(FilesystemTreeReadTest, ARandomFileInABigDirectoryCostsWhatItDidWithoutReadAhead) {
  PutFiles("big", 2000);
  uint64_t requests[2] = {};
  for (uint32_t tree_files : {0u, 32u}) {
    MountWithPrefetcher(tree_files);
    const InodeId big = Ino("big");
    ReadAll(big, /*plus=*/true);
    fake_.ResetCounters();
    auto data = ReadFile(InoIn(big, "f2345"));
    ASSERT_TRUE(data.ok());
    EXPECT_EQ(*data, data_["big/f2345"]);
    prefetcher_->WaitIdle();
    requests[tree_files == 0 ? 0 : 1] = fake_.total_count();
    TearDown();
  }
  EXPECT_EQ(requests[0], 1u);
  EXPECT_EQ(requests[1], requests[0]);
  EXPECT_EQ(counters_.Get(Counter::kTreeReadAheadFiles), 0u);
}

TEST_F(FilesystemTreeReadTest, AnObjectChangedAfterItsReadAheadIsReadAnewOnceListedAgain) {
  PutFiles("d", 6);
  MountWithPrefetcher(8);
  const InodeId d = Ino("d");
  ReadAll(d, /*plus=*/true);
  ASSERT_TRUE(ReadFile(InoIn(d, "f1000")).ok());
  ASSERT_TRUE(ReadFile(InoIn(d, "f1001")).ok());
  prefetcher_->WaitIdle();  // f1002.. fetched ahead as the listing's versions
  fake_.PutObject("c", "d/f1002", "new bytes");
  // Within the cache times the listing's version is the file's (as without read-ahead);
  // once they have passed, the directory is listed again and the open pins the new
  // version: the bytes fetched ahead of the old one are dropped, never served.
  clock_.Advance(std::chrono::seconds(61));
  ReadAll(d, /*plus=*/true);
  auto data = ReadFile(InoIn(d, "f1002"));
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "new bytes");
  EXPECT_EQ(counters_.Get(Counter::kTreeReadAheadWastedBytes), data_["d/f1002"].size());
}

TEST_F(FilesystemTreeReadTest, PlainReadDirInodeNumbersGrowInListingOrder) {
  // GNU cp -r copies a directory's entries sorted by d_ino: in listing order, so that its
  // opens are a walk. Entries without an inode get synthetic numbers in that order.
  PutFiles("d", 300);
  MountWithPrefetcher(8);
  const InodeId d = Ino("d");
  const InodeId installed = InoIn(d, "f1100");
  const auto entries = ReadAll(d, /*plus=*/false);
  ASSERT_EQ(entries.size(), 300u);
  InodeId previous = 0;
  for (const DirEntry& e : entries) {
    if (e.name == "f1100") {
      EXPECT_EQ(e.entry.ino, installed);
      continue;
    }
    EXPECT_NE(e.entry.ino & (InodeId{1} << 63), 0u) << e.name;  // never a real inode
    EXPECT_GT(e.entry.ino, previous) << e.name;
    previous = e.entry.ino;
  }
}

}  // namespace
}  // namespace swiftfs::core
