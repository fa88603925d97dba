#pragma once
// The fixture of the DiskCache tests: a cache over a temporary directory, opened and
// started (its start-up scan done), with blocks of kBlockSize bytes.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "cache/disk/block_file.h"
#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache::testing_util {

class DiskCacheFixture : public ::testing::Test {
 public:
  static constexpr uint64_t kBlockSize = uint64_t{64} * 1024;

 protected:
  // A started cache of `capacity` bytes (0: the default), no free-space margin.
  std::unique_ptr<DiskCache> OpenCache(uint64_t capacity = 0) {
    DiskCacheOptions options;
    options.dir = dir_.path();
    options.capacity = capacity;
    options.free_margin_percent = 0;
    options.block_size = kBlockSize;
    auto cache = DiskCache::Open(options, counters_, logger_);
    EXPECT_TRUE(cache.ok()) << (cache.ok() ? "" : cache.error().message);
    if (!cache.ok()) return nullptr;
    (*cache)->Start();
    (*cache)->WaitIdle();
    return std::move(*cache);
  }
  // Block `index` of `key` as `cache` loads it, or "<absent>".
  static std::string LoadString(DiskCache& cache, const BlockKey& key, uint64_t index,
                                uint32_t size) {
    auto block = cache.Load(key, index, size);
    if (!block) return "<absent>";
    return std::string(block->data().data(), block->data().size());
  }
  // What one block of `data_size` bytes of `key` counts against the cap.
  static uint64_t Footprint(const BlockKey& key, uint64_t data_size) {
    return (BlockFileSize(key.encoded().size(), data_size) + 4095) / 4096 * 4096;
  }

  TempDir dir_;
  Counters counters_;
  NullLogger logger_;
};

}  // namespace swiftfs::cache::testing_util
