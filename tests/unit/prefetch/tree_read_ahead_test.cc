// Read-ahead across files (Prefetcher::OpenListed, tree_read_ahead.h): opens in listing
// order read the next files ahead and are served from them; one GET per file; a single
// open pays nothing; a broken pattern stops at once; a changed object is never served from
// what was fetched ahead; the memory and count bounds hold; an abandoned walk gives its
// files and memory back after the idle time.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>

#include "support/fake_clock.h"
#include "swiftfs/cache/listing_order.h"
#include "swiftfs/cache/prefetcher.h"
#include "unit/prefetch/prefetch_test_util.h"

namespace swiftfs::cache {
namespace {

using testing::FakeClock;
using testing::FakeObjectClient;
using testing::Gate;
using testing::kKiB;
using testing::RandomData;
using testing::ReadAll;
using testing::SmallPrefetchOptions;
using testing::VersionOf;

// A directory's listing as the core would show it: "<dir>/<name>" objects, in order.
class FakeListing final : public ListingOrder {
 public:
  explicit FakeListing(std::string dir) : dir_(std::move(dir)) {}
  void Add(const ObjectVersion& v) { entries_.push_back({true, v}); }
  void AddSubdirectory(const std::string& name) {
    Entry e;
    e.version.name = name;  // only for IndexOf
    entries_.push_back(e);
  }

  const std::string& directory() const override { return dir_; }
  size_t size() const override { return entries_.size(); }
  Entry At(size_t index) const override { return entries_[index]; }
  std::optional<size_t> IndexOf(std::string_view object_name) const override {
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].version.name == object_name) return i;
    }
    return std::nullopt;
  }

 private:
  std::string dir_;
  std::vector<Entry> entries_;
};

PrefetchOptions TreeOptions(uint32_t files = 8, uint64_t bytes = 1024 * kKiB) {
  PrefetchOptions o = SmallPrefetchOptions();
  o.tree_files = files;
  o.tree_bytes = bytes;
  o.tree_file_max = 256 * kKiB;
  o.tree_threads = 3;
  return o;
}

class TreeReadAheadTest : public ::testing::Test {
 protected:
  // `count` files of `size` bytes in directory `dir`.
  std::shared_ptr<FakeListing> MakeDir(const std::string& dir, size_t count, size_t size) {
    auto listing = std::make_shared<FakeListing>("c/" + dir);
    for (size_t i = 0; i < count; ++i) listing->Add(Put(dir + NameOf(i), size, i + 1));
    return listing;
  }
  static std::string NameOf(size_t i) {
    std::string n = std::to_string(i);
    return "f" + std::string(6 - n.size(), '0') + n;
  }
  ObjectVersion Put(const std::string& name, size_t size, uint64_t seed) {
    data_[name] = RandomData(size, seed);
    fake_.PutObject("c", name, data_[name]);
    return VersionOf("c", name, data_[name]);
  }
  // Opens entry `index` of `dir` as its listing version and reads it whole.
  std::string OpenAndRead(Prefetcher& p, const std::shared_ptr<FakeListing>& dir, size_t index) {
    const ObjectVersion v = dir->At(index).version;
    auto reader = p.OpenListed(v, ListedPosition{dir, index});
    return ReadAll(*reader, v.size, 64 * kKiB);
  }
  uint64_t Count(Counter c) const { return counters_.Get(c); }

  FakeObjectClient fake_;
  Counters counters_;
  std::map<std::string, std::string> data_;
};

TEST_F(TreeReadAheadTest, AWalkInListingOrderCostsOneGetPerFileAndIsServedAhead) {
  auto dir = MakeDir("d/", 40, 10 * kKiB);
  Prefetcher prefetcher(fake_, counters_, TreeOptions());
  for (size_t i = 0; i < dir->size(); ++i) {
    EXPECT_EQ(OpenAndRead(prefetcher, dir, i), data_[dir->At(i).version.name]) << i;
  }
  prefetcher.WaitIdle();
  EXPECT_EQ(fake_.get_range_count(), 40u);              // never a file twice
  EXPECT_EQ(Count(Counter::kTreeReadAheadFiles), 38u);  // all but the two that start it
  EXPECT_EQ(Count(Counter::kTreeReadAheadHits), 38u);
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 0u);
  EXPECT_EQ(prefetcher.files_ahead(), 0u);
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

// A walk over files a local copy holds (a second cp -r with the disk cache): the opens still
// make the walk, but those files are never fetched ahead; the reader does not read them
// here (the disk cache serves them), so none of them costs a GET.
TEST_F(TreeReadAheadTest, FilesHeldLocallyAreNotFetchedAhead) {
  auto dir = MakeDir("d/", 40, 10 * kKiB);
  Prefetcher prefetcher(fake_, counters_, TreeOptions());
  auto held = [](size_t i) { return i % 2 == 0; };
  prefetcher.SkipHeldLocally([&](const ObjectVersion& v) {
    auto index = dir->IndexOf(v.name);
    return index && held(*index);
  });
  size_t read_here = 0;
  for (size_t i = 0; i < dir->size(); ++i) {
    const ObjectVersion v = dir->At(i).version;
    auto reader = prefetcher.OpenListed(v, ListedPosition{dir, i});
    if (held(i)) continue;  // served by the local copy
    EXPECT_EQ(ReadAll(*reader, v.size, 64 * kKiB), data_[v.name]) << i;
    ++read_here;
  }
  prefetcher.WaitIdle();
  EXPECT_EQ(fake_.get_range_count(), read_here);                 // the held files: no GET
  EXPECT_EQ(Count(Counter::kTreeReadAheadHits), read_here - 1);  // all but the first
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 0u);
}

TEST_F(TreeReadAheadTest, ASingleOpenInABigDirectoryFetchesNothingAhead) {
  auto dir = MakeDir("big/", 1000, 1 * kKiB);
  for (bool listed : {false, true}) {
    Prefetcher prefetcher(fake_, counters_, TreeOptions());
    fake_.ResetCounters();
    const ObjectVersion v = dir->At(537).version;
    auto reader = listed ? prefetcher.OpenListed(v, ListedPosition{dir, 537}) : prefetcher.Open(v);
    EXPECT_EQ(ReadAll(*reader, v.size, 64 * kKiB), data_[v.name]);
    reader.reset();
    prefetcher.WaitIdle();
    EXPECT_EQ(fake_.get_range_count(), 1u) << (listed ? "listed" : "plain");
    EXPECT_EQ(fake_.total_count(), 1u);
  }
  EXPECT_EQ(Count(Counter::kTreeReadAheadFiles), 0u);
}

TEST_F(TreeReadAheadTest, OpensOutOfOrderStopTheReadAheadAtOnce) {
  auto dir = MakeDir("d/", 100, 4 * kKiB);
  Gate gate;  // holds the fetches ahead, so that the break finds them queued or on the wire
  fake_.SetFaultHook(FakeObjectClient::Op::kGetRange,
                     [&](const FakeObjectClient::Call& call) -> std::optional<Error> {
                       if (call.name > dir->At(1).version.name) gate.Pass();
                       return std::nullopt;
                     });
  PrefetchOptions options = TreeOptions(8);
  options.tree_threads = 2;
  Prefetcher prefetcher(fake_, counters_, options);
  OpenAndRead(prefetcher, dir, 0);
  OpenAndRead(prefetcher, dir, 1);
  EXPECT_EQ(prefetcher.files_ahead(), 8u);
  gate.WaitForWaiters(2);  // two on the wire, six queued
  // Back to an earlier file (a random reader): everything ahead is dropped.
  auto reader = prefetcher.OpenListed(dir->At(0).version, ListedPosition{dir, 0});
  EXPECT_EQ(prefetcher.files_ahead(), 0u);
  EXPECT_LT(prefetcher.budget().in_use(), 8 * 4 * kKiB);
  // Skipping a file breaks it as well, and one open in order does not restart it.
  reader = prefetcher.OpenListed(dir->At(50).version, ListedPosition{dir, 50});
  EXPECT_EQ(prefetcher.files_ahead(), 0u);
  gate.Open();
  reader.reset();
  prefetcher.WaitIdle();
  // The two on the wire were paid for; the queued ones were never sent.
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 2 * 4 * kKiB);
  EXPECT_EQ(fake_.get_range_count(), 2u + 2u);  // files 0, 1 and the two fetched ahead
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST_F(TreeReadAheadTest, SubdirectoriesAndLargeFilesDoNotBreakAWalk) {
  auto dir = std::make_shared<FakeListing>("c/d/");
  dir->Add(Put("d/a", 3 * kKiB, 1));
  dir->Add(Put("d/b", 3 * kKiB, 2));
  dir->AddSubdirectory("d/c/");
  dir->Add(Put("d/d", 512 * kKiB, 3));  // above tree_file_max: the stream prefetch's
  dir->Add(Put("d/e", 3 * kKiB, 4));
  dir->Add(Put("d/f", 3 * kKiB, 5));
  Prefetcher prefetcher(fake_, counters_, TreeOptions());
  for (size_t i : {0, 1, 3, 4, 5}) {
    EXPECT_EQ(OpenAndRead(prefetcher, dir, i), data_[dir->At(i).version.name]);
  }
  prefetcher.WaitIdle();
  EXPECT_EQ(Count(Counter::kTreeReadAheadFiles), 2u);  // e and f
  EXPECT_EQ(Count(Counter::kTreeReadAheadHits), 2u);
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 0u);
}

TEST_F(TreeReadAheadTest, AnObjectChangedAfterItWasFetchedAheadIsReadAnew) {
  auto dir = MakeDir("d/", 5, 8 * kKiB);
  Prefetcher prefetcher(fake_, counters_, TreeOptions());
  OpenAndRead(prefetcher, dir, 0);
  OpenAndRead(prefetcher, dir, 1);
  prefetcher.WaitIdle();  // 2, 3, 4 fetched ahead as the listing's versions
  const ObjectVersion changed = Put("d/f000002", 9 * kKiB, 99);
  // The open pins the new version (its listing or HEAD says so): the old bytes go unused.
  auto reader = prefetcher.OpenListed(changed, ListedPosition{dir, 2});
  EXPECT_EQ(ReadAll(*reader, changed.size, 64 * kKiB), data_["d/f000002"]);
  EXPECT_EQ(Count(Counter::kTreeReadAheadHits), 0u);
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 8 * kKiB);
}

TEST_F(TreeReadAheadTest, AnObjectChangedBeforeItsFetchAheadIsStaleNeverOld) {
  auto dir = MakeDir("d/", 5, 8 * kKiB);
  const std::string old_bytes = data_["d/f000003"];
  Prefetcher prefetcher(fake_, counters_, TreeOptions());
  OpenAndRead(prefetcher, dir, 0);
  Put("d/f000003", 8 * kKiB, 77);  // overwritten after the listing, before the walk's GET
  OpenAndRead(prefetcher, dir, 1);
  prefetcher.WaitIdle();  // the GET of 3 with If-Match: the listing's etag fails (412)
  OpenAndRead(prefetcher, dir, 2);
  // The open still pins the listing's version: the read fails as ESTALE, as without
  // read-ahead; it never returns the old bytes.
  const ObjectVersion listed = dir->At(3).version;
  auto reader = prefetcher.OpenListed(listed, ListedPosition{dir, 3});
  std::vector<char> buffer(listed.size);
  auto got = reader->Read(0, buffer);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(std::string(buffer.data(), buffer.size()), old_bytes);
}

TEST_F(TreeReadAheadTest, AWalkStaysWithinItsFileByteAndMemoryBounds) {
  auto dir = MakeDir("d/", 200, 10 * kKiB);
  {
    // By bytes: 35 KiB fit three 10 KiB files.
    Prefetcher prefetcher(fake_, counters_, TreeOptions(100, 35 * kKiB));
    OpenAndRead(prefetcher, dir, 0);
    OpenAndRead(prefetcher, dir, 1);
    EXPECT_EQ(prefetcher.files_ahead(), 3u);
    prefetcher.WaitIdle();
    EXPECT_LE(prefetcher.budget().peak(), 35 * kKiB);
  }
  {
    // By the shared memory budget, with a reader of a large file holding part of it.
    PrefetchOptions options = TreeOptions(100, 10 * 1024 * kKiB);
    options.memory_budget = 100 * kKiB;
    Prefetcher prefetcher(fake_, counters_, options);
    for (size_t i = 0; i < dir->size(); ++i) {
      ASSERT_EQ(OpenAndRead(prefetcher, dir, i), data_[dir->At(i).version.name]) << i;
      EXPECT_LE(prefetcher.files_ahead(), 10u);
    }
    prefetcher.WaitIdle();
    EXPECT_LE(prefetcher.budget().peak(), 100 * kKiB);
    EXPECT_EQ(prefetcher.budget().in_use(), 0u);
  }
  {
    // By files.
    Prefetcher prefetcher(fake_, counters_, TreeOptions(4));
    OpenAndRead(prefetcher, dir, 0);
    OpenAndRead(prefetcher, dir, 1);
    EXPECT_EQ(prefetcher.files_ahead(), 4u);
  }
  {
    // Off.
    Prefetcher prefetcher(fake_, counters_, TreeOptions(0));
    OpenAndRead(prefetcher, dir, 0);
    OpenAndRead(prefetcher, dir, 1);
    EXPECT_EQ(prefetcher.files_ahead(), 0u);
  }
}

TEST_F(TreeReadAheadTest, AnAbandonedWalkReturnsItsFilesAndMemoryOnceIdle) {
  // A copy interrupted after two files: the eight files fetched ahead of it must not stay
  // reserved until another walk or the unmount.
  auto dir = MakeDir("d/", 100, 4 * kKiB);
  FakeClock clock;
  PrefetchOptions options = TreeOptions(8);
  options.tree_idle = std::chrono::seconds(10);
  Prefetcher prefetcher(fake_, counters_, options, clock);
  OpenAndRead(prefetcher, dir, 0);
  OpenAndRead(prefetcher, dir, 1);
  prefetcher.WaitIdle();
  ASSERT_EQ(prefetcher.files_ahead(), 8u);
  ASSERT_EQ(prefetcher.budget().in_use(), 8 * 4 * kKiB);

  clock.Advance(std::chrono::seconds(9));
  clock.AwaitWaiter();                      // the sweeper looked at the new time and sleeps again
  EXPECT_EQ(prefetcher.files_ahead(), 8u);  // not idle yet
  clock.Advance(std::chrono::seconds(1));
  clock.AwaitWaiter();
  EXPECT_EQ(prefetcher.files_ahead(), 0u);
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 8 * 4 * kKiB);  // fetched, unread
  EXPECT_EQ(fake_.get_range_count(), 2u + 8u);
}

TEST_F(TreeReadAheadTest, AWalkThatKeepsOpeningIsNeverIdleAndResumesAfterAPause) {
  auto dir = MakeDir("d/", 100, 4 * kKiB);
  FakeClock clock;
  PrefetchOptions options = TreeOptions(8);
  options.tree_idle = std::chrono::seconds(10);
  Prefetcher prefetcher(fake_, counters_, options, clock);
  // Opens 6 s apart: each one restarts the walk's idle time, nothing ahead is dropped.
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(OpenAndRead(prefetcher, dir, i), data_[dir->At(i).version.name]);
    prefetcher.WaitIdle();
    clock.Advance(std::chrono::seconds(6));
    clock.AwaitWaiter();
  }
  EXPECT_EQ(prefetcher.files_ahead(), 8u);
  EXPECT_EQ(Count(Counter::kTreeReadAheadWastedBytes), 0u);
  EXPECT_EQ(Count(Counter::kTreeReadAheadHits), 3u);
  // A pause past the idle time (a large file, a subdirectory) drops what was ahead, but the
  // walk goes on where it was: the next open in order reads ahead again.
  clock.Advance(std::chrono::seconds(10));
  clock.AwaitWaiter();
  EXPECT_EQ(prefetcher.files_ahead(), 0u);
  EXPECT_EQ(OpenAndRead(prefetcher, dir, 5), data_[dir->At(5).version.name]);
  EXPECT_EQ(prefetcher.files_ahead(), 8u);
  for (size_t i = 6; i < 20; ++i) {
    EXPECT_EQ(OpenAndRead(prefetcher, dir, i), data_[dir->At(i).version.name]);
  }
  prefetcher.WaitIdle();
  EXPECT_EQ(Count(Counter::kTreeReadAheadHits), 3u + 14u);
}

TEST_F(TreeReadAheadTest, WalksOfSeveralDirectoriesAtOnceAreByteExact) {
  // Concurrency (TSan): each thread walks its own directory while the pool fetches ahead;
  // one more thread opens random files of the first directory.
  constexpr size_t kDirs = 3, kFiles = 60;
  std::vector<std::shared_ptr<FakeListing>> dirs;
  for (size_t d = 0; d < kDirs; ++d) {
    dirs.push_back(MakeDir("d" + std::to_string(d) + "/", kFiles, (d + 1) * 3 * kKiB + d));
  }
  Prefetcher prefetcher(fake_, counters_, TreeOptions(8, 64 * kKiB));
  std::vector<std::thread> threads;
  for (size_t d = 0; d < kDirs; ++d) {
    threads.emplace_back([&, d] {
      for (size_t i = 0; i < kFiles; ++i) {
        EXPECT_EQ(OpenAndRead(prefetcher, dirs[d], i), data_[dirs[d]->At(i).version.name]);
      }
    });
  }
  threads.emplace_back([&] {
    for (size_t i : {17, 3, 40, 9, 55}) {
      EXPECT_EQ(OpenAndRead(prefetcher, dirs[0], i), data_[dirs[0]->At(i).version.name]);
    }
  });
  for (auto& t : threads) t.join();
  prefetcher.WaitIdle();
  EXPECT_GT(Count(Counter::kTreeReadAheadHits), 0u);
}

}  // namespace
}  // namespace swiftfs::cache
