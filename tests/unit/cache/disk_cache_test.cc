#include "swiftfs/cache/disk_cache.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "cache/disk/block_file.h"
#include "cache/disk/crc32c.h"
#include "unit/cache/disk_cache_fixture.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;
namespace fs = std::filesystem;

constexpr uint64_t kBlock = testing_util::DiskCacheFixture::kBlockSize;

class DiskCacheTest : public testing_util::DiskCacheFixture {
 protected:
  std::string PathOf(const BlockKey& key, uint64_t index) {
    return dir_.path() + "/" + BlockPath(MakeBlockId(key, index));
  }
  const BlockKey key_{"acct", "c", "o", "etag1"};
};

TEST_F(DiskCacheTest, StoresAndLoadsABlock) {
  auto cache = OpenCache();
  const std::string data = Pattern(kBlock);
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), "<absent>");
  ASSERT_TRUE(cache->Store(key_, 0, data).ok());
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), data);
  EXPECT_EQ(cache->stats().blocks, 1u);
  EXPECT_EQ(cache->stats().bytes, Footprint(key_, kBlock));
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheBytes), Footprint(key_, kBlock));
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheWrites), 1u);
  // Another ETag of the same object never sees it.
  EXPECT_EQ(LoadString(*cache, BlockKey("acct", "c", "o", "etag2"), 0, kBlock), "<absent>");
  // Nor does a reader that expects another size (the object changed size).
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock - 1), "<absent>");
}

TEST_F(DiskCacheTest, BlocksSurviveAReopen) {
  const std::string data = Pattern(1000);
  {
    auto cache = OpenCache();
    ASSERT_TRUE(cache->Store(key_, 7, data).ok());
  }
  auto cache = OpenCache();
  EXPECT_EQ(cache->stats().blocks, 1u);  // found by the start-up scan
  EXPECT_EQ(LoadString(*cache, key_, 7, 1000), data);
}

TEST_F(DiskCacheTest, ABlockIsFoundBeforeTheScanHasIndexedIt) {
  const std::string data = Pattern(1000);
  { ASSERT_TRUE(OpenCache()->Store(key_, 0, data).ok()); }
  DiskCacheOptions options;
  options.dir = dir_.path();
  options.free_margin_percent = 0;
  options.block_size = kBlock;
  auto cache = DiskCache::Open(options, counters_, logger_);  // not started: no scan yet
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(LoadString(**cache, key_, 0, 1000), data);
  EXPECT_EQ((*cache)->stats().blocks, 1u);
  (*cache)->Start();
  (*cache)->WaitIdle();
  EXPECT_EQ((*cache)->stats().blocks, 1u);  // the scan does not count it twice
  EXPECT_EQ((*cache)->stats().bytes, Footprint(key_, 1000));
}

TEST_F(DiskCacheTest, ASecondOwnerOfTheDirectoryIsRefused) {
  auto first = OpenCache();
  DiskCacheOptions options;
  options.dir = dir_.path();
  auto second = DiskCache::Open(options, counters_, logger_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kConfig);
  EXPECT_NE(second.error().message.find("in use by another swiftfs mount"), std::string::npos)
      << second.error().message;
  first.reset();
  EXPECT_TRUE(DiskCache::Open(options, counters_, logger_).ok());  // free once released
}

TEST_F(DiskCacheTest, ACorruptBlockIsDroppedNeverReturned) {
  auto cache = OpenCache();
  const std::string data = Pattern(kBlock);
  ASSERT_TRUE(cache->Store(key_, 0, data).ok());
  {
    std::fstream file(PathOf(key_, 0), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(-100, std::ios::end);
    file.put('#');
  }
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), "<absent>");
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheCorrupt), 1u);
  EXPECT_FALSE(fs::exists(PathOf(key_, 0)));
  EXPECT_EQ(cache->stats().bytes, 0u);
  // Stored again, it serves again.
  ASSERT_TRUE(cache->Store(key_, 0, data).ok());
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), data);
}

TEST_F(DiskCacheTest, ATruncatedBlockIsDropped) {
  auto cache = OpenCache();
  ASSERT_TRUE(cache->Store(key_, 0, Pattern(kBlock)).ok());
  fs::resize_file(PathOf(key_, 0), 5000);
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), "<absent>");
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheCorrupt), 1u);
}

// A cache directory of a swiftfs before the aligned layout: its blocks ("SWFSBLK1", data
// right after the key) are dropped as stale, not counted or logged as corrupt.
TEST_F(DiskCacheTest, ABlockOfTheOldLayoutIsDroppedAsStale) {
  const std::string data = Pattern(kBlock);
  std::string old = EncodeBlockHeader(key_, 0, static_cast<uint32_t>(data.size()), Crc32c(data));
  old.replace(0, 8, "SWFSBLK1");
  old += data;  // (its header CRC is not even checked: the magic decides)
  fs::create_directories(fs::path(PathOf(key_, 0)).parent_path());
  {
    std::ofstream out(PathOf(key_, 0), std::ios::binary);
    out << old;
  }
  auto cache = OpenCache();
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), "<absent>");
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheCorrupt), 0u);
  EXPECT_FALSE(fs::exists(PathOf(key_, 0)));
  ASSERT_TRUE(cache->Store(key_, 0, data).ok());
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), data);
}

TEST_F(DiskCacheTest, EvictsTheLeastRecentlyUsedBlocksToStayWithinTheCap) {
  const uint64_t one = Footprint(key_, kBlock);
  auto cache = OpenCache(3 * one);
  for (uint64_t i = 0; i < 3; ++i) ASSERT_TRUE(cache->Store(key_, i, Pattern(kBlock, i)).ok());
  EXPECT_NE(LoadString(*cache, key_, 0, kBlock), "<absent>");   // 0 is now the most recent
  ASSERT_TRUE(cache->Store(key_, 3, Pattern(kBlock, 3)).ok());  // evicts 1, the oldest
  EXPECT_EQ(cache->stats().bytes, 3 * one);
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheEvictions), 1u);
  EXPECT_FALSE(fs::exists(PathOf(key_, 1)));
  EXPECT_EQ(LoadString(*cache, key_, 1, kBlock), "<absent>");
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), Pattern(kBlock, 0));
  EXPECT_EQ(LoadString(*cache, key_, 2, kBlock), Pattern(kBlock, 2));
  EXPECT_EQ(LoadString(*cache, key_, 3, kBlock), Pattern(kBlock, 3));
}

TEST_F(DiskCacheTest, ABlockBeingLoadedIsNeverEvicted) {
  const uint64_t one = Footprint(key_, kBlock);
  auto cache = OpenCache(2 * one);
  const std::string data = Pattern(kBlock, 9);
  ASSERT_TRUE(cache->Store(key_, 0, data).ok());
  // Block 0's file becomes a FIFO holding the same bytes: its load opens it and then waits
  // for them, pinned, for as long as the test likes.
  std::string file;
  {
    std::ifstream in(PathOf(key_, 0), std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_EQ(unlink(PathOf(key_, 0).c_str()), 0);
  ASSERT_EQ(mkfifo(PathOf(key_, 0).c_str(), 0600), 0);
  std::string loaded;
  std::thread loader([&] { loaded = LoadString(*cache, key_, 0, kBlock); });
  {
    std::ofstream fifo(PathOf(key_, 0), std::ios::binary);  // returns once the load opened it
    for (uint64_t i = 1; i <= 3; ++i) ASSERT_TRUE(cache->Store(key_, i, Pattern(kBlock)).ok());
    // Each store had to evict; block 0, the least recently used but pinned, was skipped.
    EXPECT_TRUE(fs::exists(PathOf(key_, 0)));
    EXPECT_EQ(counters_.Get(Counter::kDiskCacheEvictions), 2u);
    EXPECT_LE(cache->stats().bytes, 2 * one);
    fifo << file;
  }
  loader.join();
  EXPECT_EQ(loaded, data);
}

TEST_F(DiskCacheTest, ASmallerCapAtReopenEvictsDownToIt) {
  const uint64_t one = Footprint(key_, kBlock);
  {
    auto cache = OpenCache();
    for (uint64_t i = 0; i < 5; ++i) ASSERT_TRUE(cache->Store(key_, i, Pattern(kBlock)).ok());
  }
  auto cache = OpenCache(2 * one);
  EXPECT_EQ(cache->stats().blocks, 2u);
  EXPECT_LE(cache->stats().bytes, 2 * one);
  EXPECT_EQ(std::distance(fs::recursive_directory_iterator(dir_.path() + "/blocks"),
                          fs::recursive_directory_iterator()),
            1 + 2);  // one fan-out directory (made when needed) and two blocks
}

TEST_F(DiskCacheTest, ReservationsShareTheCap) {
  const uint64_t one = Footprint(key_, kBlock);
  auto cache = OpenCache(3 * one);
  for (uint64_t i = 0; i < 3; ++i) ASSERT_TRUE(cache->Store(key_, i, Pattern(kBlock)).ok());
  DiskCache::Reservation staged = cache->Reserve(2 * one);
  ASSERT_TRUE(staged);
  EXPECT_EQ(cache->stats().blocks, 1u);  // two blocks evicted for it
  EXPECT_EQ(cache->stats().bytes, 3 * one);
  EXPECT_FALSE(cache->Reserve(4 * one));  // more than the cap: refused
  staged = DiskCache::Reservation();
  EXPECT_EQ(cache->stats().bytes, one);
}

TEST_F(DiskCacheTest, SharedSpaceTakenEvictsBlocksAndIsNeverEvicted) {
  const uint64_t one = Footprint(key_, kBlock);
  auto cache = OpenCache(3 * one);
  for (uint64_t i = 0; i < 3; ++i) ASSERT_TRUE(cache->Store(key_, i, Pattern(kBlock)).ok());
  SharedSpace& space = *cache;
  ASSERT_TRUE(space.Take(2 * one));
  EXPECT_EQ(cache->stats().blocks, 1u);  // two blocks evicted for it
  // A new block evicts the other block, never the space taken.
  ASSERT_TRUE(cache->Store(key_, 7, Pattern(kBlock)).ok());
  EXPECT_EQ(cache->stats().blocks, 1u);
  EXPECT_EQ(cache->stats().bytes, 3 * one);
  EXPECT_FALSE(space.Take(2 * one));  // taken space alone would pass the cap
  EXPECT_EQ(cache->stats().bytes, 3 * one);
  space.Give(2 * one);
  EXPECT_EQ(cache->stats().bytes, one);
  EXPECT_TRUE(space.Take(2 * one));
  space.Give(2 * one);
}

TEST_F(DiskCacheTest, TheScanRemovesLeftoversOfACrash) {
  {
    auto cache = OpenCache();
    ASSERT_TRUE(cache->Store(key_, 0, Pattern(1000)).ok());
  }
  // What kill -9 leaves: a block file still in tmp/, and junk where blocks live.
  std::ofstream(dir_.path() + "/tmp/123-4") << "half a block";
  std::ofstream(dir_.path() + "/blocks/00/not-a-block") << "junk";
  const std::string tiny = PathOf(key_, 1);
  std::ofstream(tiny) << "short";
  auto cache = OpenCache();
  EXPECT_TRUE(fs::is_empty(dir_.path() + "/tmp"));
  EXPECT_FALSE(fs::exists(dir_.path() + "/blocks/00/not-a-block"));
  EXPECT_FALSE(fs::exists(tiny));
  EXPECT_EQ(cache->stats().blocks, 1u);
  EXPECT_EQ(LoadString(*cache, key_, 0, 1000), Pattern(1000));
}

TEST_F(DiskCacheTest, StoreAsyncWritesOnTheWriterThreadAndIsBounded) {
  auto cache = OpenCache();
  auto data = std::make_shared<const std::string>(Pattern(kBlock));
  EXPECT_TRUE(cache->StoreAsync(key_, 0, data));
  cache->WaitIdle();
  EXPECT_EQ(LoadString(*cache, key_, 0, kBlock), *data);
}

}  // namespace
}  // namespace swiftfs::cache
