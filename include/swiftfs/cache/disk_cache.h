#pragma once
// DiskCache: a persistent block cache in a local directory (-o cache_dir=). Blocks of object
// data (1 MiB by default) are stored one per file, keyed by account, container, object and
// ETag, each with a CRC-32C checksum verified whenever it is loaded: a block that does not
// verify (corrupt, truncated, left half-written by a crash) is deleted and reported absent,
// never returned. A block file is written under tmp/ and renamed into place, so a block is
// either complete or absent. Blocks stay across mounts: a new mount of the same account
// finds the blocks of every object whose ETag has not changed.
//
// Space: the bytes of all block files (headers included) plus reservations stay within
// `capacity`, and the file system keeps `free_margin_percent` of its size free; the least
// recently used blocks are evicted to make room. A block being loaded is pinned: eviction
// skips it. The one exception to the cap: blocks left by an earlier mount are only counted
// once the background start-up scan has found them; the scan then evicts down to the cap.
//
// One directory, one owner: Open() takes an exclusive flock on DIR/lock, held for the life
// of the DiskCache (across fork: the lock belongs to the open file), and refuses a
// directory another swiftfs process holds (kConfig naming that pid).
//
// Threads: Start() launches the start-up scan and two writer threads (StoreAsync). Every
// method is thread-safe. Lock order: mu_ is a leaf; it is held across the local unlink and
// rename of block files (so a file exists exactly while its index entry says it does), never
// across reading or writing a block's bytes.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "swiftfs/cache/shared_space.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"

namespace swiftfs::cache {

struct DiskCacheOptions {
  static constexpr uint64_t kMiB = uint64_t{1024} * 1024;

  std::string dir;  // empty: no disk cache
  // Byte cap of the cache; 0: none but the free-space margin.
  uint64_t capacity = 0;
  uint32_t free_margin_percent = 10;  // of the file system's size, always left free
  uint64_t block_size = 1 * kMiB;
  // Blocks waiting to be written; more are dropped. Read blocks and draft blocks (data
  // written through the mount) each have a queue of this size.
  uint64_t write_queue_bytes = 64 * kMiB;
  // -o fetch_on_stat: a stat pass over small files (rsync's first pass) fetches them whole
  // into the cache instead of HEADing them (CachingReaderFactory::FetchToStore).
  bool fetch_on_stat = false;
};

// The identity of one object version: what every block of it is keyed by.
class BlockKey {
 public:
  BlockKey(std::string_view account, std::string_view container, std::string_view name,
           std::string_view etag);
  const std::string& encoded() const { return encoded_; }
  uint64_t hi() const { return hi_; }
  uint64_t lo() const { return lo_; }

 private:
  static std::string Encode(std::string_view account, std::string_view container,
                            std::string_view name, std::string_view etag);
  std::string encoded_;
  uint64_t hi_;
  uint64_t lo_;
};

// A verified block's bytes in memory; immutable, shared by the readers that use it.
class CachedBlock {
 public:
  CachedBlock(std::unique_ptr<char[]> file, std::span<const char> data)
      : file_(std::move(file)), data_(data) {}
  std::span<const char> data() const { return data_; }

 private:
  std::unique_ptr<char[]> file_;
  std::span<const char> data_;
};

class DiskCacheImpl;

class DiskCache final : public SharedSpace {
 public:
  // Space held for someone else's data (the write path's staging area): counted against
  // the cap until destroyed. Move-only.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(Reservation&& other) noexcept;
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation();
    explicit operator bool() const { return cache_ != nullptr; }
    uint64_t bytes() const { return bytes_; }

   private:
    friend class DiskCacheImpl;
    Reservation(DiskCacheImpl* cache, uint64_t bytes) : cache_(cache), bytes_(bytes) {}
    DiskCacheImpl* cache_ = nullptr;
    uint64_t bytes_ = 0;
  };

  // The blocks of a version being written (a streamed upload) before it exists: stored as
  // they pass, by the writer threads, under tmp/ with a provisional key; invisible to Load
  // and Contains and never evicted, but counted against the cap (they give way only to
  // Take, the staging area's dirty bytes). Publish makes them blocks of the committed
  // version; destroyed unpublished (the upload failed or was abandoned), its blocks are
  // removed and their space returned. A crash leaves them in tmp/, removed at the next
  // start. Move-only; one owner calls it (not thread-safe itself).
  class Draft {
   public:
    Draft() = default;
    Draft(Draft&& other) noexcept;
    Draft& operator=(Draft&& other) noexcept;
    ~Draft();
    explicit operator bool() const { return cache_ != nullptr; }

    // Queues block `index` (`data`, its bytes, which `owner` keeps alive and unchanged) for
    // the writer threads and returns at once; false (not cached) when write_queue_bytes of
    // blocks of drafts are queued already, or the cache is not started or stopping.
    bool Add(uint64_t index, std::shared_ptr<const void> owner, std::span<const char> data);
    // Waits for the blocks queued (local disk writes only), then makes each one stored the
    // block `index` of `key`, which must encode to as many bytes as the provisional key
    // (else nothing is published). Returns the blocks published. Ends the draft.
    uint64_t Publish(const BlockKey& key);

   private:
    friend class DiskCacheImpl;
    Draft(DiskCacheImpl* cache, uint64_t id) : cache_(cache), id_(id) {}
    DiskCacheImpl* cache_ = nullptr;
    uint64_t id_ = 0;
  };

  struct Stats {
    uint64_t bytes = 0;        // block files, headers included, plus reservations
    uint64_t blocks = 0;       // block files indexed
    uint64_t draft_bytes = 0;  // of bytes: blocks of drafts not published
    bool scan_done = false;    // the start-up scan has indexed what earlier mounts left
  };

  // Creates the directory layout and takes the lock. kConfig when the directory cannot be
  // used or another process holds it. Starts no thread. `counters` and `logger` must
  // outlive the cache.
  static Result<std::unique_ptr<DiskCache>> Open(const DiskCacheOptions& options,
                                                 Counters& counters, Logger& logger);
  ~DiskCache() override;  // writes the blocks still queued, then stops the threads
  DiskCache(const DiskCache&) = delete;
  DiskCache& operator=(const DiskCache&) = delete;

  // Starts the start-up scan and the writer threads (after the daemon forked). Call once.
  void Start();

  // The verified bytes of block `index` of `key`, which must be `size` bytes long (the
  // block size, or less for an object's last block); nullptr when absent or dropped.
  std::shared_ptr<const CachedBlock> Load(const BlockKey& key, uint64_t index, uint32_t size);

  // Writes a block now (the writer threads; tests). Skipped (OkStatus) when the block is
  // already cached or no room can be made; an error for a failed local write.
  Status Store(const BlockKey& key, uint64_t index, std::span<const char> data);

  // Queues a block for the writer threads and returns at once; false (dropped, not cached)
  // when the queue holds write_queue_bytes already or Start() was not called.
  bool StoreAsync(const BlockKey& key, uint64_t index, std::shared_ptr<const std::string> data);
  // The same for `bytes` held elsewhere (in a prefetched part): `owner` keeps them alive and
  // unchanged until they are written. Not copied: written from there when aligned.
  bool StoreAsync(const BlockKey& key, uint64_t index, std::span<const char> bytes,
                  std::shared_ptr<const void> owner);

  // Counts `bytes` against the cap, evicting blocks to make room; empty if it cannot.
  Reservation Reserve(uint64_t bytes);

  // A draft whose blocks carry `provisional` until published: give it the committed key's
  // encoded length (same account, container and name; an ETag placeholder as long as the
  // ETag), so that publishing rewrites a block's header in place, not its data.
  Draft BeginDraft(const BlockKey& provisional);

  // SharedSpace, for the staging area under cache_dir: Reserve without the holder; the
  // bytes count against the cap (and the free-space margin) until given back.
  bool Take(uint64_t bytes) override;
  void Give(uint64_t bytes) override;

  // Whether block `index` of `key` is cached and indexed (a block of an earlier mount the
  // start-up scan has not reached yet is not). Never touches the disk.
  bool Contains(const BlockKey& key, uint64_t index) const;

  // Asks the kernel to read block `index` of `key` ahead into the page cache (sequential
  // readers of cached data), if it is cached. Never blocks on the disk.
  void ReadAhead(const BlockKey& key, uint64_t index);

  Stats stats() const;
  const DiskCacheOptions& options() const;

  // Blocks until the start-up scan has finished and the write queue is empty (tests).
  void WaitIdle();

 private:
  explicit DiskCache(std::unique_ptr<DiskCacheImpl> impl);
  std::unique_ptr<DiskCacheImpl> impl_;
};

}  // namespace swiftfs::cache
