#pragma once
// DiskCacheImpl: the index, LRU and threads behind DiskCache (design in
// include/swiftfs/cache/disk_cache.h).
//
// INVARIANT: a block file exists under blocks/ exactly while index_ holds its entry in
// state kReady (outside the start-up scan window, when files of earlier mounts are not yet
// indexed); used_ is the sum of the indexed entries' sizes (kWriting ones included) plus
// reservations and draft blocks (draft_bytes_). lru_ holds the kReady entries, most
// recently used first. A draft's blocks are files under tmp/ listed in drafts_ (stored),
// or being written (outstanding), never in index_ until published.
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
#include "cache/disk/block_file_writer.h"
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
  bool StoreAsync(const BlockKey& key, uint64_t index, std::span<const char> bytes,
                  std::shared_ptr<const void> owner);
  DiskCache::Reservation Reserve(uint64_t bytes);
  DiskCache::Draft BeginDraft(const BlockKey& provisional);
  bool AddDraftBlock(uint64_t draft, uint64_t index, std::shared_ptr<const void> owner,
                     std::span<const char> data);
  uint64_t PublishDraft(uint64_t draft, const BlockKey& key);
  void DropDraft(uint64_t draft);
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
    BlockKey key;  // of a draft's block: unused (the draft's provisional key)
    uint64_t index;
    std::shared_ptr<const void> owner;  // keeps `data` alive
    std::span<const char> data;
    uint64_t draft = 0;  // 0: a block of a version that exists
  };
  struct DraftBlock {
    uint64_t index = 0;
    std::string temp;  // its file, under tmp/
    uint64_t bytes = 0;
    uint32_t size = 0;
    uint32_t crc = 0;  // of its data: the published header needs it
  };
  struct DraftState {
    explicit DraftState(BlockKey key) : provisional(std::move(key)) {}
    BlockKey provisional;
    std::vector<DraftBlock> stored;
    int outstanding = 0;    // queued or being written
    uint64_t no_room = 0;   // blocks the cap could not take
    uint64_t given_up = 0;  // blocks the writers could not take in time, or that gave way
  };

  std::string PathOf(const BlockId& id) const { return options_.dir + "/" + BlockPath(id); }
  // Bytes to free beyond the cap so that the file system keeps its margin after writing
  // `incoming` more bytes (statvfs; 0 when it cannot tell).
  uint64_t FreeSpaceShortfall(uint64_t incoming) const;
  // Evicts unpinned kReady blocks, least recently used first, until used_ + incoming fits
  // the cap and `extra` more bytes were freed. False if that was not possible.
  // With `drafts_yield` (Take: the staging area's dirty bytes), draft blocks are removed
  // too when evicting is not enough, the most recent first.
  bool MakeRoomLocked(uint64_t incoming, uint64_t extra, bool drafts_yield = false) REQUIRES(mu_);
  // `id` by value: callers pass references into lru_, which this erases.
  void RemoveLocked(BlockId id, bool unlink_file) REQUIRES(mu_);
  void PublishSizeLocked() REQUIRES(mu_);
  std::string NewTempLocked() REQUIRES(mu_);
  // A writer thread's part of AddDraftBlock (disk_cache_drafts.cc).
  void StoreDraftBlock(const QueuedBlock& block);
  // One outstanding block of `draft` is done with.
  void FinishOutstandingLocked(uint64_t draft) REQUIRES(mu_);
  void RemoveDraftBlockLocked(const DraftBlock& block) REQUIRES(mu_);

  void Scan();        // the start-up scan (disk_cache_scan.cc)
  void WriterLoop();  // a writer thread

  const DiskCacheOptions options_;
  const int lock_fd_;
  Counters& counters_;
  Logger& logger_;
  BlockFileWriter block_writer_;

  mutable Mutex mu_;
  std::unordered_map<BlockId, Entry, BlockIdHash> index_ GUARDED_BY(mu_);
  std::list<BlockId> lru_ GUARDED_BY(mu_);
  uint64_t used_ GUARDED_BY(mu_) = 0;
  uint64_t reserved_ GUARDED_BY(mu_) = 0;  // of used_: reservations (never evictable)
  uint64_t temp_counter_ GUARDED_BY(mu_) = 0;
  uint64_t generation_counter_ GUARDED_BY(mu_) = 0;
  bool scan_done_ GUARDED_BY(mu_) = false;
  std::condition_variable scan_cv_;
  std::unordered_map<uint64_t, DraftState> drafts_ GUARDED_BY(mu_);
  uint64_t draft_bytes_ GUARDED_BY(mu_) = 0;  // of used_: drafts' blocks (never evictable)
  uint64_t draft_counter_ GUARDED_BY(mu_) = 0;
  std::condition_variable draft_cv_;  // a draft's last outstanding block is done with

  Mutex queue_mu_;
  std::condition_variable queue_cv_;  // a block was queued, or stopping_
  std::condition_variable idle_cv_;   // the queue is empty and nothing is being written
  std::deque<QueuedBlock> queue_ GUARDED_BY(queue_mu_);
  uint64_t queued_bytes_ GUARDED_BY(queue_mu_) = 0;        // read blocks
  uint64_t queued_draft_bytes_ GUARDED_BY(queue_mu_) = 0;  // drafts' blocks
  int writing_ GUARDED_BY(queue_mu_) = 0;                  // writer threads storing a block now
  bool stopping_ GUARDED_BY(queue_mu_) = false;
  bool started_ GUARDED_BY(queue_mu_) = false;

  std::atomic<bool> stop_scan_{false};
  std::thread scanner_;
  std::vector<std::thread> writers_;
};

}  // namespace swiftfs::cache
