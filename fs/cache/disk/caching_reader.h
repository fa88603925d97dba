#pragma once
// CachingReader: the FileReader of one open file under the CachingReaderFactory (design in
// include/swiftfs/cache/caching_reader_factory.h).
//
// A read walks the blocks it covers: blocks the disk cache holds (verified on load; the
// last two loaded are kept for the reads that follow in the same block) become pieces of
// the reply; from the first block the cache lacks to the end of the read, the inner reader
// answers, and its bytes also go to the BlockAssembler, whose completed blocks are queued
// for writing. mu_ guards only the small per-reader memory (loaded blocks, misses,
// assembler); it is never held while loading a block or reading from the inner reader.

#include <array>
#include <memory>

#include "cache/disk/block_assembler.h"
#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class CachingReader final : public FileReader {
 public:
  CachingReader(std::unique_ptr<FileReader> inner, DiskCache& cache, Counters& counters,
                BlockKey key, const ObjectVersion& version);

  Result<size_t> Read(uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* cancel = nullptr) override;
  Result<ReadView> ReadInPlace(uint64_t offset, size_t size,
                               const std::atomic<bool>* cancel = nullptr) override;

 private:
  // Block `index` from memory or the disk cache; nullptr when the cache lacks it.
  std::shared_ptr<const CachedBlock> GetBlock(uint64_t index);
  void Remember(uint64_t index, std::shared_ptr<const CachedBlock> block) REQUIRES(mu_);
  // Before the inner reader reads from block `missing` on: tells it where the next cached
  // block is, so that its read-ahead stops there (once per missing block).
  void LimitInnerReadAhead(uint64_t missing);

  const std::unique_ptr<FileReader> inner_;
  DiskCache& cache_;
  Counters& counters_;
  const BlockKey key_;
  const uint64_t size_;
  const uint64_t block_size_;

  Mutex mu_;
  struct Loaded {
    uint64_t index = UINT64_MAX;
    std::shared_ptr<const CachedBlock> block;
  };
  std::array<Loaded, 2> loaded_ GUARDED_BY(mu_);
  size_t next_slot_ GUARDED_BY(mu_) = 0;
  std::array<uint64_t, 4> missed_ GUARDED_BY(mu_);  // blocks known absent: not looked up again
  size_t next_missed_ GUARDED_BY(mu_) = 0;
  uint64_t read_ahead_to_ GUARDED_BY(mu_) = 0;         // blocks before this were asked ahead
  uint64_t limited_for_ GUARDED_BY(mu_) = UINT64_MAX;  // the missing block of the last limit
  BlockAssembler assembler_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::cache
