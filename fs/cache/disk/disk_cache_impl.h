#pragma once
// DiskCacheImpl: the index, LRU and threads behind DiskCache (design in
// include/swiftfs/cache/disk_cache.h).
//
// INVARIANT: a block file exists under blocks/ exactly while index_ holds its entry in
// state kReady (outside the start-up scan window, when files of earlier mounts are not yet
// indexed); used_ is the sum of the indexed entries' sizes (kWriting ones included) plus
// reservations. lru_ holds the kReady entries, most recently used first.
//
// Lock order: mu_ is a leaf. queue_mu_ (the writer's queue) is never held with mu_.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <list>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cache/disk/block_file.h"
#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class DiskCacheImpl {
 public:
  DiskCacheImpl(DiskCacheOptions options, int lock_fd, Counters& counters, Logger& logger);
  ~DiskCacheImpl();

  void Start();
  std::shared_ptr<const CachedBlock> Load(const BlockKey& key, uint64_t index, uint32_t size);
  Status Store(const BlockKey& key, uint64_t index, std::span<const char> data);
  bool StoreAsync(const BlockKey& key, uint64_t index, std::shared_ptr<const std::string> data);
  DiskCache::Reservation Reserve(uint64_t bytes);
  bool Take(uint64_t bytes);
  void Unreserve(uint64_t bytes);
  void ReadAhead(const BlockKey& key, uint64_t index);
  bool Contains(const BlockKey& key, uint64_t index) const;
  DiskCache::Stats stats() const;
  const DiskCacheOptions& options() const { return options_; }
  void WaitIdle();

 private:
  enum class State { kWriting, kReady };
  struct Entry {
    uint64_t bytes = 0;
    State state = State::kReady;
    uint32_t pins = 0;
    uint64_t generation = 0;  // tells a re-created entry of the same block from the old one
    std::list<BlockId>::iterator lru;  // valid in kReady
  };
  struct QueuedBlock {
    BlockKey key;
    uint64_t index;
    std::shared_ptr<const std::string> data;
  };

  std::string PathOf(const BlockId& id) const { return options_.dir + "/" + BlockPath(id); }
  // Bytes to free beyond the cap so that the file system keeps its margin after writing
  // `incoming` more bytes (statvfs; 0 when it cannot tell).
  uint64_t FreeSpaceShortfall(uint64_t incoming) const;
  // Evicts unpinned kReady blocks, least recently used first, until used_ + incoming fits
  // the cap and `extra` more bytes were freed. False if that was not possible.
  bool MakeRoomLocked(uint64_t incoming, uint64_t extra) REQUIRES(mu_);
  // `id` by value: callers pass references into lru_, which this erases.
  void RemoveLocked(BlockId id, bool unlink_file) REQUIRES(mu_);
  void PublishSizeLocked() REQUIRES(mu_);
  Status WriteBlockFile(const std::string& temp, const BlockKey& key, uint64_t index,
                        std::span<const char> data);

  void Scan();        // the start-up scan (disk_cache_scan.cc)
  void WriterLoop();  // a writer thread

  const DiskCacheOptions options_;
  const int lock_fd_;
  Counters& counters_;
  Logger& logger_;

  mutable Mutex mu_;
  std::unordered_map<BlockId, Entry, BlockIdHash> index_ GUARDED_BY(mu_);
  std::list<BlockId> lru_ GUARDED_BY(mu_);
  uint64_t used_ GUARDED_BY(mu_) = 0;
  uint64_t reserved_ GUARDED_BY(mu_) = 0;  // of used_: reservations (never evictable)
  uint64_t temp_counter_ GUARDED_BY(mu_) = 0;
  uint64_t generation_counter_ GUARDED_BY(mu_) = 0;
  bool scan_done_ GUARDED_BY(mu_) = false;
  std::condition_variable scan_cv_;

  Mutex queue_mu_;
  std::condition_variable queue_cv_;  // a block was queued, or stopping_
  std::condition_variable idle_cv_;   // the queue is empty and nothing is being written
  std::deque<QueuedBlock> queue_ GUARDED_BY(queue_mu_);
  uint64_t queued_bytes_ GUARDED_BY(queue_mu_) = 0;
  int writing_ GUARDED_BY(queue_mu_) = 0;  // writer threads storing a block now
  bool stopping_ GUARDED_BY(queue_mu_) = false;
  bool started_ GUARDED_BY(queue_mu_) = false;

  std::atomic<bool> stop_scan_{false};
  std::thread scanner_;
  std::vector<std::thread> writers_;
};

}  // namespace swiftfs::cache
