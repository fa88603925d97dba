// Readers loading (and so pinning) blocks while writers store new ones into a cache so
// small that every store evicts: every load returns the right bytes or nothing, and the
// cache never holds more than its cap. Run under ThreadSanitizer (label concurrency).

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cache/disk/block_file.h"
#include "swiftfs/cache/disk_cache.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;
using testing_util::TempDir;

TEST(DiskCacheConcurrencyTest, LoadsAreRightOrAbsentWhileStoresEvict) {
  constexpr uint64_t kBlock = 16 * 1024;
  constexpr int kBlocks = 24;
  TempDir dir;
  Counters counters;
  NullLogger logger;
  const BlockKey key("a", "c", "o", "e");
  const uint64_t one = (kBlockHeaderSize + key.encoded().size() + kBlock + 4095) / 4096 * 4096;
  DiskCacheOptions options;
  options.dir = dir.path();
  options.capacity = 6 * one;
  options.free_margin_percent = 0;
  options.block_size = kBlock;
  auto opened = DiskCache::Open(options, counters, logger);
  ASSERT_TRUE(opened.ok());
  DiskCache& cache = **opened;
  cache.Start();

  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::atomic<int> hits{0};
  std::atomic<uint64_t> over_cap{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int round = 0; round < 40; ++round) {
        for (int i = w; i < kBlocks; i += 2) {
          ASSERT_TRUE(cache.Store(key, i, Pattern(kBlock, i)).ok());
          const uint64_t bytes = cache.stats().bytes;
          if (bytes > options.capacity) over_cap.store(bytes);
        }
      }
    });
  }
  for (int r = 0; r < 4; ++r) {
    threads.emplace_back([&, r] {
      uint64_t i = r;
      while (!stop.load()) {
        i = (i * 7 + 3) % kBlocks;
        auto block = cache.Load(key, i, kBlock);
        if (!block) continue;
        hits.fetch_add(1);
        // The block stays valid while held, eviction or not.
        std::this_thread::yield();
        if (std::string(block->data().data(), block->data().size()) != Pattern(kBlock, i)) {
          wrong.fetch_add(1);
        }
      }
    });
  }
  threads[0].join();
  threads[1].join();
  stop.store(true);
  for (size_t t = 2; t < threads.size(); ++t) threads[t].join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(over_cap.load(), 0u);
  EXPECT_LE(cache.stats().bytes, options.capacity);
  EXPECT_EQ(counters.Get(Counter::kDiskCacheCorrupt), 0u);
  EXPECT_GT(counters.Get(Counter::kDiskCacheEvictions), 0u);
  // On disk, too: no more block files than the cap holds.
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() + "/blocks")) {
    if (entry.is_regular_file()) ++files;
  }
  EXPECT_LE(files, 6u);
}

}  // namespace
}  // namespace swiftfs::cache
