// Readers loading (and so pinning) blocks while writers store new ones into a cache so
// small that every store evicts: every load returns the right bytes or nothing, and the
// cache never holds more than its cap. Run under ThreadSanitizer (label concurrency).

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "cache/disk/block_file.h"
#include "swiftfs/cache/disk_cache.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;
using testing_util::TempDir;

// A cache in `dir` of `block_size` blocks, with no free-space margin, opened and started.
std::unique_ptr<DiskCache> StartedCache(const std::string& dir, uint64_t block_size,
                                        uint64_t capacity, Counters& counters, Logger& logger) {
  DiskCacheOptions options;
  options.dir = dir;
  if (capacity != 0) options.capacity = capacity;
  options.free_margin_percent = 0;
  options.block_size = block_size;
  auto opened = DiskCache::Open(options, counters, logger);
  if (!opened.ok()) return nullptr;
  std::unique_ptr<DiskCache> cache = std::move(*opened);
  cache->Start();
  return cache;
}

TEST(DiskCacheConcurrencyTest, LoadsAreRightOrAbsentWhileStoresEvict) {
  constexpr uint64_t kBlock = 16 * 1024;
  constexpr int kBlocks = 24;
  TempDir dir;
  Counters counters;
  NullLogger logger;
  const BlockKey key("a", "c", "o", "e");
  const uint64_t one = (BlockFileSize(key.encoded().size(), kBlock) + 4095) / 4096 * 4096;
  const uint64_t capacity = 6 * one;
  auto started = StartedCache(dir.path(), kBlock, capacity, counters, logger);
  ASSERT_NE(started, nullptr);
  DiskCache& cache = *started;

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
          if (bytes > capacity) over_cap.store(bytes);
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
  EXPECT_LE(cache.stats().bytes, capacity);
  EXPECT_EQ(counters.Get(Counter::kDiskCacheCorrupt), 0u);
  EXPECT_GT(counters.Get(Counter::kDiskCacheEvictions), 0u);
  // On disk, too: no more block files than the cap holds.
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() + "/blocks")) {
    if (entry.is_regular_file()) ++files;
  }
  EXPECT_LE(files, 6u);
}

// Readers racing on one corrupt block all fail it, none returns it, and the block is
// counted once: disk_cache_corrupt counts damaged blocks, not failed reads (the e2e test
// corrupts one block and expects the counter to say one, however many readers hit it).
TEST(DiskCacheConcurrencyTest, ACorruptBlockReadByManyIsCountedOnce) {
  // Blocks large enough that reading and checking one overlaps the other readers' opens.
  constexpr uint64_t kBlock = 4 * 1024 * 1024;
  constexpr int kRounds = 20;
  constexpr int kReaders = 4;
  TempDir dir;
  Counters counters;
  NullLogger logger;
  const BlockKey key("a", "c", "o", "e");
  auto started = StartedCache(dir.path(), kBlock, 0, counters, logger);
  ASSERT_NE(started, nullptr);
  DiskCache& cache = *started;
  const std::string path = dir.path() + "/" + BlockPath(MakeBlockId(key, 0));
  std::atomic<int> served{0};
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(cache.Store(key, 0, Pattern(kBlock, round)).ok());
    {
      std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
      file.seekp(-100, std::ios::end);
      file.put('#');
    }
    std::atomic<int> ready{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
      readers.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < kReaders) std::this_thread::yield();
        if (cache.Load(key, 0, kBlock)) served.fetch_add(1);
      });
    }
    for (auto& reader : readers) reader.join();
  }
  EXPECT_EQ(served.load(), 0);
  EXPECT_EQ(counters.Get(Counter::kDiskCacheCorrupt), static_cast<uint64_t>(kRounds));
}

}  // namespace
}  // namespace swiftfs::cache
