// The core tells the reader factory where an opened file stands in its directory's fresh
// listing (listed_position.h), and the Prefetcher reads a walk's next files ahead: a copy
// of a directory costs one GET per file, a random open costs what it did, and an object
// changed since its listing is read anew.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "swiftfs/cache/prefetcher.h"
#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

class FilesystemTreeReadTest : public FilesystemTest {
 protected:
  void MountWithPrefetcher(uint32_t tree_files) {
    cache::PrefetchOptions options;
    options.tree_files = tree_files;
    options.tree_threads = 2;  // lookup_bodies: the default (16)
    prefetcher_ = std::make_unique<cache::Prefetcher>(fake_, counters_, options);
    fs_ = std::make_unique<Filesystem>(options_, fake_, *prefetcher_, clock_, logger_, counters_);
    ASSERT_TRUE(fs_->Init().ok());
    fake_.ResetCounters();
  }
  // `count` files dir/f1000, dir/f1001, ..., each with X-Object-Meta-Mtime kTrueMtime.
  void PutFiles(const std::string& dir, size_t count) {
    testing::FakeObjectOptions options;
    options.meta_mtime = swift::WallTime(std::chrono::seconds(kTrueMtime));
    for (size_t i = 0; i < count; ++i) {
      const std::string name = dir + "/f" + std::to_string(1000 + i);
      data_[name] = std::string(1000 + 37 * i, static_cast<char>('a' + i % 26));
      fake_.PutObject("c", name, data_[name], options);
    }
  }
  static constexpr time_t kTrueMtime = 1000000000;
  // mtime=meta, `count` files in `dir` (PutFiles), mounted with the prefetcher: `dir`'s inode.
  InodeId MountWithTrueMtimes(const std::string& dir, size_t count, uint32_t tree_files = 16) {
    options_.mtime = MtimeSource::kMeta;
    PutFiles(dir, count);
    MountWithPrefetcher(tree_files);
    return Ino(dir);
  }
  // A lookup as the FUSE adapter makes it: with the request's interrupt flag, which lets
  // a small file's lookup GET it whole (Filesystem::Lookup).
  Result<EntryReply> KernelLookup(InodeId dir, const std::string& name) {
    return fs_->Lookup(dir, name, &not_interrupted_);
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
  std::atomic<bool> not_interrupted_{false};
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

TEST_F(FilesystemTreeReadTest, WithTrueMtimesFilesOpenedByPathCostOneGetEach) {
  // `cat` of known names, no listing first, mtime=meta: the lookup's GET of each small file
  // answers with its metadata, and the open takes its bytes (before: a HEAD and a GET).
  const InodeId big = MountWithTrueMtimes("big", 2000, 32);
  fake_.ResetCounters();
  for (size_t i = 0; i < 2000; i += 100) {
    const std::string name = "f" + std::to_string(1000 + i);
    auto entry = KernelLookup(big, name);
    ASSERT_TRUE(entry.ok()) << name;
    EXPECT_EQ(entry->attr.st_mtime, kTrueMtime) << name;
    auto data = ReadFile(entry->ino, 64 * 1024);
    ASSERT_TRUE(data.ok()) << name;
    EXPECT_EQ(*data, data_["big/" + name]);
  }
  prefetcher_->WaitIdle();
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 20u);
  EXPECT_EQ(counters_.Get(Counter::kLookupGetHits), 20u);
  EXPECT_EQ(prefetcher_->budget().in_use(), 0u);
}

TEST_F(FilesystemTreeReadTest, WithTrueMtimesCopyingADirectoryCostsOneGetPerFile) {
  // cp -r and tar: all names first (plain readdir), then a stat and an open per file.
  const InodeId d = MountWithTrueMtimes("d", 50);
  const auto entries = ReadAll(d, /*plus=*/false);
  ASSERT_EQ(entries.size(), 50u);
  fake_.ResetCounters();
  for (const DirEntry& e : entries) {
    auto entry = KernelLookup(d, e.name);
    ASSERT_TRUE(entry.ok()) << e.name;
    EXPECT_EQ(entry->attr.st_mtime, kTrueMtime) << e.name;
    auto data = ReadFile(entry->ino, 64 * 1024);
    ASSERT_TRUE(data.ok()) << e.name;
    EXPECT_EQ(*data, data_["d/" + e.name]);
  }
  prefetcher_->WaitIdle();
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 50u);
  EXPECT_EQ(fake_.total_count(), 50u);
  EXPECT_EQ(counters_.Get(Counter::kTreeReadAheadWastedBytes), 0u);
}

TEST_F(FilesystemTreeReadTest, WithTrueMtimesStatsThatAreNeverOpenedGoBackToHeads) {
  // rsync's first pass stats every file before it reads any: after a few bodies fetched for
  // nothing, lookups HEAD again (and queue the next files' HEADs as before).
  const InodeId d = MountWithTrueMtimes("d", 400);
  const auto entries = ReadAll(d, /*plus=*/false);
  fake_.ResetCounters();
  for (const DirEntry& e : entries) {
    auto entry = KernelLookup(d, e.name);
    ASSERT_TRUE(entry.ok()) << e.name;
    EXPECT_EQ(entry->attr.st_mtime, kTrueMtime) << e.name;
  }
  prefetcher_->WaitIdle();
  // The default keeps 16 bodies: 32 GETs until it stops, then a probe every 64 lookups.
  EXPECT_LE(fake_.get_range_count(), 32u + 400 / 64);
  EXPECT_EQ(fake_.head_object_count() + fake_.get_range_count(), 400u);
}

TEST_F(FilesystemTreeReadTest, WithTrueMtimesALookupThatCannotBeInterruptedHeads) {
  // Without the request's interrupt flag nothing could end a GET whose body stalls: the
  // lookup HEADs (the bytes then come with the open).
  const InodeId d = MountWithTrueMtimes("d", 3);
  fake_.ResetCounters();
  auto entry = fs_->Lookup(d, "f1001", /*cancel=*/nullptr);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->attr.st_mtime, kTrueMtime);
  EXPECT_EQ(fake_.head_object_count(), 1u);
  EXPECT_EQ(fake_.get_range_count(), 0u);
  EXPECT_EQ(counters_.Get(Counter::kLookupGets), 0u);
}

TEST_F(FilesystemTreeReadTest, WithTrueMtimesAnInterruptEndsALookupWaitingForItsBody) {
  // Ctrl-C of a `cat` whose lookup GETs a file from a stalled server: the lookup ends with
  // kCancelled (EINTR), sends nothing more (no HEAD after it), and keeps no body.
  const InodeId d = MountWithTrueMtimes("d", 3);
  std::atomic<bool> cancel{false};
  std::atomic<bool> stalled{false};
  // The transport's part: a transfer in flight is aborted once the flag is set.
  fake_.SetFaultHook(testing::FakeObjectClient::Op::kGetRange,
                     [&](const testing::FakeObjectClient::Call&) -> std::optional<Error> {
                       stalled = true;
                       while (!cancel) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                       return MakeError(ErrorCode::kCancelled, "transfer aborted");
                     });
  fake_.ResetCounters();
  std::optional<Result<EntryReply>> entry;
  std::thread lookup([&] { entry = fs_->Lookup(d, "f1002", &cancel); });
  while (!stalled) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  cancel = true;
  lookup.join();
  ASSERT_TRUE(entry.has_value());
  ASSERT_FALSE(entry->ok()) << "an interrupted lookup succeeded";
  EXPECT_EQ(entry->error().code, ErrorCode::kCancelled);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 1u);
  fake_.SetFaultHook(testing::FakeObjectClient::Op::kGetRange, nullptr);
  prefetcher_->WaitIdle();
  EXPECT_EQ(prefetcher_->budget().in_use(), 0u);
}

TEST_F(FilesystemTreeReadTest, ASymlinkIsNeverFetchedByItsLookup) {
  // A GET follows a Swift symlink: its lookup must HEAD the link itself.
  options_.mtime = MtimeSource::kMeta;
  PutFiles("d", 2);
  fake_.PutSymlink("c", "d/link", "c/d/f1000");
  MountWithPrefetcher(16);
  const InodeId d = Ino("d");
  fake_.ResetCounters();
  auto entry = KernelLookup(d, "link");
  ASSERT_TRUE(entry.ok());
  EXPECT_TRUE(S_ISLNK(entry->attr.st_mode));
  EXPECT_EQ(fake_.get_range_count(), 0u);
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
