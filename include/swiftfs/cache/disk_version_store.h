#pragma once
// DiskVersionMetadataStore: the VersionMetadataStore of a mount with a disk cache
// (-o cache_dir=): what HEADs told about object versions (X-Object-Meta-Mtime, user
// metadata, content type...) kept in <cache_dir>/meta/versions.db, so that after a
// remount `ls -l` with true mtimes costs the listing only, not one HEAD per object.
//
// Two levels: an LruVersionMetadataStore in memory answers hot lookups without touching
// the disk; behind it an SQLite file (one table, WAL mode; fs/cache/disk/version_db.h)
// that a lookup missing in memory reads, and whose answer then joins the memory level.
// Put goes to memory at once and to the disk through one writer thread, which commits
// whatever has queued in one transaction (a version is written once: a Put of what memory
// already holds is not written again). So neither Get nor Put waits for a disk write, and
// no lock of the store is held across disk I/O: a Get reads on a connection taken from a
// small pool (SQLite's WAL lets readers run beside the writer).
//
// Why SQLite and not a file per entry (like the blocks): a version's metadata is a few
// hundred bytes, and a file each costs a 4 KiB disk block, an inode, and a stat in the
// start-up scan; one indexed file holds 12,000 versions in 3.9 MiB, needs no scan, and
// commits a batch of puts as one write (docs/benchmarks.md has the figures).
//
// Integrity: every record carries a CRC-32C over its key and bytes (version_record.h); a
// record that does not verify is never returned (the lookup misses, the row is deleted).
// Because the key is in the checksum and a version's metadata never changes, a record that
// verifies is right whatever state the rest of the file is in: a damaged file can make
// lookups miss (a HEAD again), never answer wrong. That is what lets the file's structural
// check (PRAGMA quick_check, 15-120 ms: it reads the whole file) run in the background
// rather than on the mount path: lookups read the file from the moment it opens, but
// nothing is written to it (puts wait in the queue) until the check has passed. A file
// that fails the check, or that SQLite cannot open (truncated, overwritten, not a
// database), is deleted and made anew (logged): it is a cache. Lookups miss while that
// happens; the reader connections on the old file are closed first.
//
// Bound: its own, `max_disk_entries` versions (not counted against cache_size, which bounds
// the blocks); past it, the least recently used rows go (used = put, or read back from
// disk once the row is in the older half; hits in memory do not rewrite the disk). A row is
// 340-480 bytes on disk (the key, with the storage URL, twice: table and use index), and the
// WAL is kept to 8 MiB after each checkpoint.
//
// Keys: rows are keyed by the account (the storage URL, as the blocks are) and the
// version, so one cache_dir serves mounts of several accounts; the keys sort in Swift's
// listing order of names (fs/cache/disk/version_row_key.h).
//
// Read-ahead: a lookup that goes to the file reads the rows after its own with the same
// statement, into the memory level (each verified), and reads further ahead (1, 2, 4 ...
// 64 rows) while lookups follow each other in key order, as those of `ls -l` after a
// remount do (listing order). So 12,000 lookups cost some 200 statements, not 12,000: a
// statement is a read transaction (locks, a stat) and a descent of the tree, dearer than
// the rows it returns. A lookup out of order reads its row and one more.
//
// Lifecycle: constructed before the daemon forks (no file is opened); Start(account) after
// it starts the store's thread and returns: that thread opens the file, checks it and
// counts its rows (unless the last process closed it properly: then neither, see below),
// then commits the puts queued meanwhile and those that follow. A lookup made while the
// file is being opened (a few milliseconds) waits for the open, so that a lookup right
// after the mount finds what the file holds; none waits for the check. Until Start, and if
// the file cannot be used at all (logged), the store is the memory level alone. The
// destructor writes what is queued, then marks the file closed properly with its row count.
//
// Why the check is skipped after a proper close: it reads the whole file, and on a small
// machine that costs the first `ls -l` after a remount as much as the lookups themselves
// (measured: 1.33x mtime=server with it running beside the ls, docs/benchmarks.md). A file
// closed properly was consistent when closed; later damage (the disk, someone editing it)
// cannot give a wrong answer (records are verified), and a write that fails has the file
// checked, and made anew if it fails the check, then. The mark is cleared at Start, so a
// daemon that dies leaves the file to be checked by the next mount.
// The cache directory's owner lock (DiskCache::Open) must be held: one process per file.
//
// Thread-safe. Locks: pool_mu_, queue_mu_ and ahead_mu_ are leaves, never held together, never
// across SQLite calls; the memory level has its own leaf lock.
//
// INVARIANT: phase_ changes under pool_mu_, on the store's thread (but for Start's first
// step, kStopped to kOpening, before that thread exists): a reader that took a connection
// under pool_mu_ saw a readable phase, and the thread waits for every connection in use to
// come back before it deletes the file.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "swiftfs/cache/version_metadata.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class VersionDb;
struct VersionDbWrite;

struct DiskVersionStoreOptions {
  std::string dir;                    // the cache directory (its meta/ subdirectory is ours)
  size_t memory_entries = 200'000;    // the memory level's bound
  size_t max_disk_entries = 250'000;  // rows on disk (90-120 MiB, plus an 8 MiB WAL)
  size_t max_queued = 50'000;         // puts waiting for the writer; more are not persisted
  // A seam for tests: called on the store's thread once the file is open, before its check
  // (a test holds the check back here to see what the store does meanwhile).
  std::function<void()> before_check;
};

class DiskVersionMetadataStore final : public VersionMetadataStore {
 public:
  struct Stats {
    uint64_t disk_hits = 0;   // Gets answered with the row they read from the file
    uint64_t read_ahead = 0;  // rows read ahead of a Get's into the memory level
    uint64_t scans = 0;       // statements Gets ran on the file
    uint64_t dropped = 0;     // records that failed verification
    uint64_t written = 0;     // rows the writer committed (puts)
    bool persistent = false;  // the file passed its check: puts are written to it
  };

  // `logger` must outlive the store. Touches no file.
  DiskVersionMetadataStore(DiskVersionStoreOptions options, Logger& logger);
  ~DiskVersionMetadataStore() override;  // commits what is queued, then stops the writer
  DiskVersionMetadataStore(const DiskVersionMetadataStore&) = delete;
  DiskVersionMetadataStore& operator=(const DiskVersionMetadataStore&) = delete;

  // Keys rows by `account` and starts the store's thread, which opens (or makes anew) and
  // checks the file, then writes. Returns without waiting for any of it. Call once, in the
  // process that serves, before the store is used from several threads.
  void Start(const std::string& account);

  std::optional<VersionMetadata> Get(const VersionKey& key) override;
  void Put(const VersionKey& key, const VersionMetadata& metadata) override;

  // Blocks until the file's start-up check is over and every Put made before the call is
  // committed (tests, benchmarks). Returns at once before Start.
  void Flush();
  Stats stats() const;

 private:
  // kStopped: before Start. kOpening: the thread opens the file. kChecking: open, being
  // checked; lookups read it, nothing is written. kRecreating: it failed its check and is
  // being made anew; lookups miss. kReady: checked, read and written. kOff: memory only.
  enum class Phase : uint8_t { kStopped, kOpening, kChecking, kRecreating, kReady, kOff };
  static bool Readable(Phase p) { return p == Phase::kChecking || p == Phase::kReady; }

  std::string RowKey(const VersionKey& key) const;
  // How many rows a lookup of `row` reads (itself and those after it): see kMaxReadAhead.
  size_t ReadAheadFor(const std::string& row);
  // The metadata of a row read from the file if its record verifies; else nullopt, and
  // the row is queued for deletion.
  std::optional<VersionMetadata> Verified(const std::string& row, const std::string& record);
  // On the store's thread: opens, checks and counts the file (making it anew if it must);
  // false when the store is to be memory only.
  bool Prepare();
  // Deletes the file and opens a new one; lookups miss meanwhile (their connections to the
  // old file are closed first). False when the new file cannot be opened either.
  bool Recreate(const std::string& why);
  void SetPhase(Phase phase);
  // A reader connection from the pool (opening one if the pool is short); null if none
  // can be opened. Return it with Release.
  std::unique_ptr<VersionDb> Acquire();
  void Release(std::unique_ptr<VersionDb> db);
  // Queues a change for the writer; false when the queue is full (the change is lost).
  bool Enqueue(VersionDbWrite write);
  void WriterLoop();
  // Deletes least recently used rows once the file holds more than max_disk_entries.
  void EvictIfFull(uint64_t puts);

  const DiskVersionStoreOptions options_;
  Logger& logger_;
  LruVersionMetadataStore memory_;
  std::string path_;

  // Set by Start() before phase_ leaves kStopped (release); read only after (acquire).
  std::string account_;
  std::atomic<Phase> phase_{Phase::kStopped};

  // Used by the writer thread alone once started.
  std::unique_ptr<VersionDb> writer_db_;
  uint64_t next_use_ = 1;
  uint64_t rows_estimate_ = 0;                   // rows at Start plus puts since: an upper bound
  std::atomic<uint64_t> next_use_published_{1};  // next_use_ as of the last commit, for Get

  // Read-ahead in key order (a leaf lock): the key of the row after the last one a lookup
  // read, and how many rows the last lookup read.
  Mutex ahead_mu_;
  std::string next_row_ GUARDED_BY(ahead_mu_);
  size_t read_ahead_ GUARDED_BY(ahead_mu_) = 1;

  Mutex pool_mu_;
  std::condition_variable pool_cv_;  // a reader connection was returned, or phase_ changed
  std::vector<std::unique_ptr<VersionDb>> idle_readers_ GUARDED_BY(pool_mu_);
  size_t readers_open_ GUARDED_BY(pool_mu_) = 0;

  Mutex queue_mu_;
  std::condition_variable queue_cv_;    // something queued, or stopping_
  std::condition_variable flushed_cv_;  // committed_ advanced, or prepared_ set
  std::vector<VersionDbWrite> queue_ GUARDED_BY(queue_mu_);
  bool prepared_ GUARDED_BY(queue_mu_) = false;         // Prepare() is over (either way)
  bool off_ GUARDED_BY(queue_mu_) = false;              // memory only: nothing is queued
  uint64_t queued_total_ GUARDED_BY(queue_mu_) = 0;     // changes ever queued
  uint64_t committed_total_ GUARDED_BY(queue_mu_) = 0;  // of those, done by the writer
  int flush_waiters_ GUARDED_BY(queue_mu_) = 0;         // Flush() calls waiting
  bool stopping_ GUARDED_BY(queue_mu_) = false;
  std::thread writer_;

  std::atomic<uint64_t> disk_hits_{0};
  std::atomic<uint64_t> read_ahead_rows_{0};
  std::atomic<uint64_t> scans_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> written_{0};
  std::atomic<bool> read_error_logged_{false};
};

}  // namespace swiftfs::cache
