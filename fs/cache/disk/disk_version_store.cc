// DiskVersionMetadataStore (design in include/swiftfs/cache/disk_version_store.h): the
// memory level, the reader pool, and the writer thread that batches puts into transactions.

#include "swiftfs/cache/disk_version_store.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <utility>

#include "cache/disk/version_db.h"
#include "cache/disk/version_record.h"
#include "cache/disk/version_row_key.h"

namespace swiftfs::cache {
namespace {

// Reader connections at most: enough for the FUSE workers and the metadata fetchers that
// miss in memory at once (a read takes microseconds, so they seldom queue).
constexpr size_t kMaxReaders = 4;
// The writer gathers changes for up to this long, or until kBatch are queued, before it
// commits them: one transaction (and one wake-up of its thread) per batch, not per Put or
// per lookup read back, so that an `ls -l` reading thousands of versions back pays for
// its reads, not for thousands of tiny commits.
constexpr auto kGather = std::chrono::milliseconds(20);
constexpr size_t kBatch = 1024;
// The most rows a lookup reads ahead of the one it asks for (read_ahead_ doubles up to it
// while lookups follow each other in key order). 64 rows are about 25 KiB of records: one
// statement for 64 lookups, where a statement each cost more than the rows themselves
// (SQLite's read transaction takes two fcntl locks and a stat per statement).
constexpr size_t kMaxReadAhead = 64;

}  // namespace

DiskVersionMetadataStore::DiskVersionMetadataStore(DiskVersionStoreOptions options, Logger& logger)
    : options_(std::move(options)),
      logger_(logger),
      memory_(options_.memory_entries),
      path_(options_.dir + "/meta/versions.db") {}

DiskVersionMetadataStore::~DiskVersionMetadataStore() {
  {
    MutexLock lock(queue_mu_);
    stopping_ = true;  // the writer commits what is queued first
  }
  queue_cv_.notify_all();
  if (!writer_.joinable()) return;
  writer_.join();
  // The writer is gone and everything queued is written: the file is closed properly, and
  // the next mount need not check it (Prepare).
  if (phase_.load(std::memory_order_acquire) == Phase::kReady && writer_db_) {
    if (auto rows = writer_db_->Count(); rows) (void)writer_db_->MarkClosedCleanly(*rows);
  }
}

void DiskVersionMetadataStore::Start(const std::string& account) {
  if (phase_.load(std::memory_order_acquire) != Phase::kStopped) return;
  account_ = RowKeyPrefix(account);
  {
    MutexLock lock(pool_mu_);
    phase_.store(Phase::kOpening, std::memory_order_release);
  }
  writer_ = std::thread([this] { WriterLoop(); });
}

void DiskVersionMetadataStore::SetPhase(Phase phase) {
  {
    MutexLock lock(pool_mu_);
    phase_.store(phase, std::memory_order_release);
  }
  pool_cv_.notify_all();
}

bool DiskVersionMetadataStore::Prepare() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(options_.dir + "/meta", ec);
  auto db = VersionDb::Open(path_);
  std::optional<uint64_t> clean_rows;
  if (db) {
    writer_db_ = std::move(*db);
    SetPhase(Phase::kChecking);  // lookups may read it: every record they take is verified
    auto clean = writer_db_->TakeClosedCleanly();
    if (clean) clean_rows = *clean;
    if (!clean_rows) {
      // Not closed properly (the daemon died, or the file was damaged or replaced): check it.
      // The check reads the whole file: here, off the mount path, while lookups run.
      if (options_.before_check) options_.before_check();
      if (Status sound = writer_db_->Check(); !sound && !Recreate(sound.error().message)) {
        return false;
      }
    }
  } else if (!Recreate(db.error().message)) {
    return false;
  }
  // Closed properly: its row count kept, and no check, which would read the whole file
  // beside the first `ls -l` after the mount (records are verified one by one anyway, and a
  // write that fails has the file checked then: WriterLoop).
  auto rows = clean_rows ? Result<uint64_t>(*clean_rows) : writer_db_->Count();
  auto max_use = writer_db_->MaxUse();
  if (!rows || !max_use) {
    logger_.Warning("version metadata store off (memory only): " +
                    (rows ? max_use.error() : rows.error()).message);
    return false;
  }
  rows_estimate_ = *rows;
  next_use_ = *max_use + 1;
  next_use_published_.store(next_use_);
  logger_.Info("version metadata store " + path_ + ": " + std::to_string(*rows) + " versions");
  return true;
}

bool DiskVersionMetadataStore::Recreate(const std::string& why) {
  namespace fs = std::filesystem;
  // A cache: a file SQLite cannot use is replaced, not repaired.
  logger_.Warning("version metadata store: " + path_ + " unusable (" + why + "): starting it anew");
  std::vector<std::unique_ptr<VersionDb>> old_readers;
  {
    // No lookup may take a connection to the old file from here on; those in use come back
    // (a lookup holds one for one read), then all close before the file goes.
    MutexLock lock(pool_mu_);
    phase_.store(Phase::kRecreating, std::memory_order_release);
    pool_cv_.notify_all();  // lookups waiting for the open: they miss now
    lock.Wait(pool_cv_,
              [this]() REQUIRES(pool_mu_) { return idle_readers_.size() == readers_open_; });
    old_readers.swap(idle_readers_);
    readers_open_ = 0;
  }
  old_readers.clear();
  writer_db_.reset();  // closes the old file before its removal
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path_ + suffix, ec);
  auto db = VersionDb::Open(path_);
  if (!db) {
    logger_.Warning("version metadata store off (memory only): " + db.error().message);
    return false;
  }
  writer_db_ = std::move(*db);
  SetPhase(Phase::kChecking);  // new and empty: readable (the caller makes it kReady)
  return true;
}

std::string DiskVersionMetadataStore::RowKey(const VersionKey& key) const {
  return EncodeRowKey(account_, key);
}

size_t DiskVersionMetadataStore::ReadAheadFor(const std::string& row) {
  MutexLock lock(ahead_mu_);
  // The row after the last one read: the lookups follow the file's order (an `ls -l` in
  // listing order), so read further ahead; any other row starts again from one.
  read_ahead_ =
      !next_row_.empty() && row == next_row_ ? std::min(read_ahead_ * 2, kMaxReadAhead) : size_t{1};
  return read_ahead_;
}

std::optional<VersionMetadata> DiskVersionMetadataStore::Verified(const std::string& row,
                                                                  const std::string& record) {
  std::optional<VersionMetadata> metadata = DecodeVersionRecord(row, record);
  if (!metadata) {
    if (dropped_.fetch_add(1) == 0) {
      logger_.Warning("version metadata store: dropped a record that failed verification");
    }
    Enqueue({VersionDbWrite::Kind::kDrop, row, record});
  }
  return metadata;
}

std::optional<VersionMetadata> DiskVersionMetadataStore::Get(const VersionKey& key) {
  if (auto hot = memory_.Get(key)) return hot;
  const Phase phase = phase_.load(std::memory_order_acquire);
  if (phase == Phase::kStopped || phase == Phase::kOff) return std::nullopt;
  const std::string row = RowKey(key);
  const size_t ahead = ReadAheadFor(row);
  std::unique_ptr<VersionDb> db = Acquire();
  if (!db) return std::nullopt;
  // The row asked for (if present), then `ahead` - 1 rows after it into the memory level,
  // and the key of the one after those (the next lookup's, if they follow in key order).
  std::vector<VersionDb::Row> rows;
  Status read = db->Scan(row, ahead + 1, rows);
  Release(std::move(db));
  scans_.fetch_add(1, std::memory_order_relaxed);
  if (!read) {
    // A damaged file: a miss (the HEAD is made again); said once, not per lookup.
    if (!read_error_logged_.exchange(true)) {
      logger_.Warning("version metadata store: " + read.error().message);
    }
    return std::nullopt;
  }
  std::optional<VersionMetadata> found;
  const VersionDb::Row* asked = nullptr;
  size_t taken = 0;
  std::string next;
  for (const VersionDb::Row& r : rows) {
    if (r.key == row) {
      asked = &r;
      found = Verified(r.key, r.record);
      continue;
    }
    auto version = DecodeRowKey(account_, r.key);
    if (!version) break;  // another account's rows (or not a key of ours): not read ahead
    if (++taken < ahead) {
      // Read ahead: each verified like the row asked for, so never a wrong answer.
      if (auto metadata = Verified(r.key, r.record)) {
        memory_.Put(*version, *metadata);
        read_ahead_rows_.fetch_add(1, std::memory_order_relaxed);
      }
      continue;
    }
    next = r.key;
    break;
  }
  {
    MutexLock lock(ahead_mu_);
    next_row_ = std::move(next);
  }
  if (!found) return std::nullopt;
  disk_hits_.fetch_add(1, std::memory_order_relaxed);
  memory_.Put(key, *found);
  // Read back: used again. Its use number is renewed only once it is in the older half
  // of what the file holds (nearer eviction): an `ls -l` reading back thousands of
  // versions written lately costs no write at all.
  if (asked->used + options_.max_disk_entries / 2 < next_use_published_.load()) {
    Enqueue({VersionDbWrite::Kind::kTouch, row, {}});
  }
  return found;
}

void DiskVersionMetadataStore::Put(const VersionKey& key, const VersionMetadata& metadata) {
  if (const Phase phase = phase_.load(std::memory_order_acquire);
      phase == Phase::kStopped || phase == Phase::kOff) {
    memory_.Put(key, metadata);
    return;
  }
  // Already known (put before, or read back from the file): on disk or queued already.
  // Queued before the file is checked, it is written once the check has passed.
  if (auto known = memory_.Get(key); known && *known == metadata) return;
  memory_.Put(key, metadata);
  std::string row = RowKey(key);
  std::string record = EncodeVersionRecord(row, metadata);
  Enqueue({VersionDbWrite::Kind::kPut, std::move(row), std::move(record)});
}

std::unique_ptr<VersionDb> DiskVersionMetadataStore::Acquire() {
  {
    MutexLock lock(pool_mu_);
    // The open is quick (the check is not waited for): a lookup right after the mount
    // finds what the file holds rather than missing and costing a HEAD.
    lock.Wait(pool_cv_, [this]() REQUIRES(pool_mu_) {
      const Phase phase = phase_.load(std::memory_order_relaxed);
      return phase != Phase::kOpening &&
             (!Readable(phase) || !idle_readers_.empty() || readers_open_ < kMaxReaders);
    });
    if (!Readable(phase_.load(std::memory_order_relaxed))) return nullptr;  // a miss
    if (!idle_readers_.empty()) {
      std::unique_ptr<VersionDb> db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return db;
    }
    ++readers_open_;  // a slot for the connection opened below, without the lock
  }
  auto db = VersionDb::Open(path_);
  if (db) return std::move(*db);
  {
    MutexLock lock(pool_mu_);
    --readers_open_;
  }
  pool_cv_.notify_all();  // a lookup waiting for a connection, or Recreate for them all
  if (!read_error_logged_.exchange(true)) {
    logger_.Warning("version metadata store: " + db.error().message);
  }
  return nullptr;
}

void DiskVersionMetadataStore::Release(std::unique_ptr<VersionDb> db) {
  {
    MutexLock lock(pool_mu_);
    idle_readers_.push_back(std::move(db));
  }
  pool_cv_.notify_all();  // a lookup waiting for a connection, or Recreate for them all
}

bool DiskVersionMetadataStore::Enqueue(VersionDbWrite write) {
  bool wake = false;
  {
    MutexLock lock(queue_mu_);
    if (stopping_ || off_ || queue_.size() >= options_.max_queued) return false;
    queue_.push_back(std::move(write));
    ++queued_total_;
    // The writer waits for a first change, then gathers until a batch is full.
    wake = queue_.size() == 1 || queue_.size() == kBatch;
  }
  if (wake) queue_cv_.notify_one();
  return true;
}

void DiskVersionMetadataStore::WriterLoop() {
  // Below the FUSE and fetcher threads, like the block writers: nothing waits for it.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  const bool usable = Prepare();
  if (!usable) writer_db_.reset();
  SetPhase(usable ? Phase::kReady : Phase::kOff);
  MutexLock lock(queue_mu_);
  prepared_ = true;
  flushed_cv_.notify_all();
  if (!usable) {
    // Memory only: what was queued for the file is let go, and nothing more is queued.
    off_ = true;
    queue_.clear();
    committed_total_ = queued_total_;
    return;
  }
  std::vector<VersionDbWrite> batch;
  while (true) {
    lock.Wait(queue_cv_, [this]() REQUIRES(queue_mu_) { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and everything queued committed
    if (!stopping_ && flush_waiters_ == 0 && queue_.size() < kBatch) {
      lock.WaitFor(queue_cv_, kGather);  // more may come: Enqueue, Flush or stop wake it
    }
    batch.clear();
    batch.swap(queue_);
    const uint64_t upto = queued_total_;
    lock.unlock();
    uint64_t puts = 0;
    for (const VersionDbWrite& w : batch) puts += w.kind == VersionDbWrite::Kind::kPut;
    if (Status applied = writer_db_->Apply(batch, next_use_); !applied) {
      logger_.Warning("version metadata store: " + applied.error().message);
      // A write that fails may have met a damaged file: check it, and make it anew if so.
      if (Status sound = writer_db_->Check(); !sound) {
        if (Recreate(sound.error().message)) {
          rows_estimate_ = 0;
          SetPhase(Phase::kReady);
        } else {
          writer_db_.reset();
          SetPhase(Phase::kOff);
          lock.lock();
          off_ = true;  // memory only from now on
          queue_.clear();
          committed_total_ = queued_total_;
          flushed_cv_.notify_all();
          return;
        }
      }
    } else {
      next_use_published_.store(next_use_);
      written_.fetch_add(puts, std::memory_order_relaxed);
      EvictIfFull(puts);
    }
    lock.lock();
    committed_total_ = upto;
    flushed_cv_.notify_all();
  }
  flushed_cv_.notify_all();
}

void DiskVersionMetadataStore::EvictIfFull(uint64_t puts) {
  rows_estimate_ += puts;  // replacements counted too: an upper bound, corrected below
  if (rows_estimate_ <= options_.max_disk_entries) return;
  auto rows = writer_db_->Count();
  if (!rows) return;
  rows_estimate_ = *rows;
  if (*rows <= options_.max_disk_entries) return;
  // A sixteenth more than the excess, so that a full store evicts once per many batches.
  const uint64_t excess = *rows - options_.max_disk_entries + options_.max_disk_entries / 16;
  if (Status evicted = writer_db_->EvictOldest(excess); !evicted) {
    logger_.Warning("version metadata store: " + evicted.error().message);
    return;
  }
  rows_estimate_ = *rows > excess ? *rows - excess : 0;
}

void DiskVersionMetadataStore::Flush() {
  if (phase_.load(std::memory_order_acquire) == Phase::kStopped) return;
  MutexLock lock(queue_mu_);
  const uint64_t target = queued_total_;
  ++flush_waiters_;  // the writer commits without gathering more
  queue_cv_.notify_one();
  lock.Wait(flushed_cv_, [this, target]() REQUIRES(queue_mu_) {
    return prepared_ && (committed_total_ >= target || (stopping_ && queue_.empty()));
  });
  --flush_waiters_;
}

DiskVersionMetadataStore::Stats DiskVersionMetadataStore::stats() const {
  return {disk_hits_.load(), read_ahead_rows_.load(),
          scans_.load(),     dropped_.load(),
          written_.load(),   phase_.load(std::memory_order_acquire) == Phase::kReady};
}

}  // namespace swiftfs::cache
