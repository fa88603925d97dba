// The persistent version metadata store: what a mount learnt is found by the next one (a
// new instance on the same directory), damaged records and files are dropped, never
// returned, the file stays within its bound, and concurrent Puts and Gets (label
// concurrency: also run under ThreadSanitizer) return the right metadata or nothing. The
// file's check runs on the store's thread after Start returned (held back through the
// before_check seam): lookups meanwhile answer right or nothing, and nothing is written
// until it has passed.

#include "swiftfs/cache/disk_version_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "cache/disk/version_row_key.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::TempDir;

VersionKey Key(int i) {
  return VersionKey{"c", "dir/o" + std::to_string(i), "etag" + std::to_string(i),
                    swift::WallTime(std::chrono::microseconds(1'700'000'000'000'000 + i))};
}

// Different for every i, so a record returned under the wrong key would show.
VersionMetadata Meta(int i) {
  VersionMetadata m;
  m.meta_mtime = swift::WallTime(std::chrono::seconds(1'000'000'000 + i));
  m.metadata["mtime"] = std::to_string(1'000'000'000 + i);
  m.content_type = "application/octet-stream";
  m.timestamp = "1700000000." + std::to_string(i);
  m.size = 100 + i;
  return m;
}

// The SQL literal (x'...') of `key`'s row key in the store of account AUTH_a.
std::string RowLiteral(const VersionKey& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "x'";
  for (unsigned char c : EncodeRowKey(RowKeyPrefix("AUTH_a"), key)) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out + "'";
}

struct Fixture {
  TempDir dir;
  CapturingLogger logger;

  DiskVersionStoreOptions Options(size_t memory = 1000, size_t disk = 100'000) const {
    DiskVersionStoreOptions options;
    options.dir = dir.path();
    options.memory_entries = memory;
    options.max_disk_entries = disk;
    return options;
  }
  // A started store whose file has been opened and checked (Flush waits for that).
  std::unique_ptr<DiskVersionMetadataStore> Mount(size_t memory = 1000, size_t disk = 100'000,
                                                  const std::string& account = "AUTH_a") {
    auto store = std::make_unique<DiskVersionMetadataStore>(Options(memory, disk), logger);
    store->Start(account);
    store->Flush();
    return store;
  }
  std::string db() const { return dir.path() + "/meta/versions.db"; }
  // Runs `sql` on the store's file (as someone editing it would).
  void Sql(const std::string& sql) const {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db().c_str(), &raw), SQLITE_OK);
    char* error = nullptr;
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(raw);
  }
  int64_t Rows() const { return Sql1("SELECT count(*) FROM versions"); }
  // The first column of the first row `sql` returns (-1 when none).
  int64_t Sql1(const std::string& sql) const {
    sqlite3* raw = nullptr;
    int64_t rows = -1;
    if (sqlite3_open(db().c_str(), &raw) == SQLITE_OK) {
      sqlite3_exec(
          raw, sql.c_str(),
          [](void* out, int, char** values, char**) {
            *static_cast<int64_t*>(out) = std::stoll(values[0]);
            return 0;
          },
          &rows, nullptr);
    }
    sqlite3_close(raw);
    return rows;
  }
};

TEST(DiskVersionStoreTest, RoundTrip) {
  Fixture f;
  auto store = f.Mount();
  EXPECT_TRUE(store->stats().persistent);
  EXPECT_FALSE(store->Get(Key(1)).has_value());
  store->Put(Key(1), Meta(1));
  EXPECT_EQ(store->Get(Key(1)), Meta(1));
  VersionKey other = Key(1);
  other.etag = "another";
  EXPECT_FALSE(store->Get(other).has_value());
}

TEST(DiskVersionStoreTest, SurvivesARemount) {
  Fixture f;
  {
    auto store = f.Mount();
    for (int i = 0; i < 50; ++i) store->Put(Key(i), Meta(i));
  }  // the destructor commits what is queued
  auto store = f.Mount();
  for (int i = 0; i < 50; ++i) EXPECT_EQ(store->Get(Key(i)), Meta(i)) << i;
  const auto read = store->stats();
  EXPECT_GE(read.disk_hits + read.read_ahead, 50u);
  EXPECT_LE(read.scans, 50u);
  // Hot now: a second lookup is answered in memory.
  EXPECT_EQ(store->Get(Key(7)), Meta(7));
  EXPECT_EQ(store->stats().scans, read.scans);
  EXPECT_FALSE(store->Get(Key(50)).has_value());
}

// The versions of an `ls -l` after a remount, looked up in listing order: the store reads
// ahead (1, 2, 4 ... 64 rows a statement) and answers all of them with a few statements;
// lookups out of order read their own row only; no row of another account is read ahead.
TEST(DiskVersionStoreTest, LookupsInListingOrderReadAhead) {
  Fixture f;
  std::vector<int> order;
  {
    auto other = f.Mount(1000, 100'000, "AUTH_0");  // sorts before AUTH_a: rows after its own
    for (int i = 0; i < 10; ++i) other->Put(Key(i), Meta(1000 + i));
  }
  {
    auto store = f.Mount();
    for (int i = 0; i < 1000; ++i) store->Put(Key(i), Meta(i));
  }
  for (int i = 0; i < 1000; ++i) order.push_back(i);
  // Listing order of the names ("dir/o1", "dir/o10", "dir/o100", "dir/o101" ...).
  std::sort(order.begin(), order.end(), [](int a, int b) { return Key(a).name < Key(b).name; });
  {
    auto store = f.Mount(2000);
    for (int i : order) EXPECT_EQ(store->Get(Key(i)), Meta(i)) << i;
    const auto stats = store->stats();
    EXPECT_EQ(stats.disk_hits + stats.read_ahead, 1000u);
    EXPECT_LE(stats.scans, 1000u / 64 + 7);
  }
  {
    // AUTH_0's rows in order: read ahead up to its last row, and not into AUTH_a's after
    // it (the same names there, with other metadata).
    auto store = f.Mount(2000, 100'000, "AUTH_0");
    for (int n = 0; n < 10; ++n) EXPECT_EQ(store->Get(Key(n)), Meta(1000 + n)) << n;
    EXPECT_GT(store->stats().read_ahead, 0u);
    for (int n = 0; n < 10; ++n) EXPECT_EQ(store->Get(Key(n)), Meta(1000 + n)) << n;
    EXPECT_FALSE(store->Get(Key(500)).has_value());
  }
  {
    // Out of order (backwards): one row each, nothing read ahead.
    auto store = f.Mount(2000, 100'000, "AUTH_0");
    for (int n = 9; n >= 0; --n) EXPECT_EQ(store->Get(Key(n)), Meta(1000 + n)) << n;
    EXPECT_EQ(store->stats().read_ahead, 0u);
    EXPECT_EQ(store->stats().scans, 10u);
  }
}

TEST(DiskVersionStoreTest, AnotherAccountDoesNotSeeTheRows) {
  Fixture f;
  f.Mount(1000, 1000, "AUTH_a")->Put(Key(1), Meta(1));
  EXPECT_FALSE(f.Mount(1000, 1000, "AUTH_b")->Get(Key(1)).has_value());
  EXPECT_EQ(f.Mount(1000, 1000, "AUTH_a")->Get(Key(1)), Meta(1));
}

TEST(DiskVersionStoreTest, BeforeStartOnlyMemoryAndNoFile) {
  Fixture f;
  DiskVersionStoreOptions options;
  options.dir = f.dir.path();
  {
    DiskVersionMetadataStore store(options, f.logger);
    store.Put(Key(1), Meta(1));
    EXPECT_EQ(store.Get(Key(1)), Meta(1));
    EXPECT_FALSE(store.stats().persistent);
    store.Flush();  // returns at once
  }
  EXPECT_FALSE(std::filesystem::exists(f.db()));
}

TEST(DiskVersionStoreTest, ACorruptRecordIsDroppedNotReturned) {
  Fixture f;
  {
    auto store = f.Mount();
    store->Put(Key(1), Meta(1));
    store->Put(Key(2), Meta(2));
  }
  // One byte of key 1's record changed in place (its size and SQLite's view unchanged).
  // (|| and substr() make text, so the result is cast back: records are blobs.)
  f.Sql(
      "UPDATE versions SET record = CAST(substr(record, 1, 10) || x'FF' || substr(record, 12) "
      "AS BLOB) WHERE key = " +
      RowLiteral(Key(1)));
  {
    auto store = f.Mount();
    EXPECT_FALSE(store->Get(Key(1)).has_value());
    EXPECT_EQ(store->stats().dropped, 1u);
    EXPECT_EQ(store->Get(Key(2)), Meta(2));
    store->Flush();
  }
  EXPECT_EQ(f.Rows(), 1);  // the damaged row is gone
  // A row moved under another key fails too (the key is part of the checksum).
  f.Sql("UPDATE versions SET key = " + RowLiteral(Key(3)) + " WHERE key = " + RowLiteral(Key(2)));
  auto store = f.Mount();
  EXPECT_FALSE(store->Get(Key(3)).has_value());
  EXPECT_EQ(store->stats().dropped, 1u);  // found under Key(3)'s row key, and refused
}

TEST(DiskVersionStoreTest, AFileThatIsNotADatabaseIsMadeAnew) {
  Fixture f;
  f.Mount()->Put(Key(1), Meta(1));
  {
    std::ofstream garbage(f.db(), std::ios::trunc);
    garbage << std::string(10000, 'x');
  }
  std::filesystem::remove(f.db() + "-wal");
  {
    auto store = f.Mount();
    EXPECT_TRUE(store->stats().persistent);
    EXPECT_FALSE(store->Get(Key(1)).has_value());
    store->Put(Key(2), Meta(2));
  }
  EXPECT_EQ(f.Mount()->Get(Key(2)), Meta(2));
}

TEST(DiskVersionStoreTest, ATruncatedFileNeverAnswersWrong) {
  Fixture f;
  {
    auto store = f.Mount();
    for (int i = 0; i < 2000; ++i) store->Put(Key(i), Meta(i));
    store->Flush();
  }
  f.Sql("PRAGMA wal_checkpoint(TRUNCATE)");  // everything in the main file
  std::filesystem::resize_file(f.db(), std::filesystem::file_size(f.db()) / 2);
  auto store = f.Mount(10);
  EXPECT_TRUE(store->stats().persistent);
  for (int i = 0; i < 2000; ++i) {
    auto got = store->Get(Key(i));
    if (got) {
      EXPECT_EQ(*got, Meta(i)) << i;
    }
  }
  store->Put(Key(5000), Meta(5000));
  EXPECT_EQ(store->Get(Key(5000)), Meta(5000));
}

// Holds the store's check back (DiskVersionStoreOptions::before_check) until Release(): the
// test sees the store as it is while a slow check runs. A hold the test never releases
// ends after a minute, and released_by_test() says so (a Start that waited for its check
// fails the test rather than hanging it).
class CheckHold {
 public:
  CheckHold() : released_(release_.get_future().share()) {}
  std::function<void()> Hook() {
    return [this] {
      reached_.set_value();
      released_by_test_ = released_.wait_for(std::chrono::minutes(1)) == std::future_status::ready;
    };
  }
  // False when the check was not reached within a minute (a store without the seam).
  bool WaitReached() {
    return reached_.get_future().wait_for(std::chrono::minutes(1)) == std::future_status::ready;
  }
  void Release() { release_.set_value(); }
  bool released_by_test() const { return released_by_test_.load(); }

 private:
  std::promise<void> reached_;
  std::promise<void> release_;
  std::shared_future<void> released_;
  std::atomic<bool> released_by_test_{false};
};

TEST(DiskVersionStoreTest, StartDoesNotWaitForTheCheckAndNothingIsWrittenBeforeIt) {
  Fixture f;
  {
    auto store = f.Mount();
    for (int i = 0; i < 20; ++i) store->Put(Key(i), Meta(i));
  }
  f.Sql("DELETE FROM state");  // as a daemon that died leaves it: checked at the next Start
  CheckHold hold;
  DiskVersionStoreOptions options = f.Options();
  options.before_check = hold.Hook();
  DiskVersionMetadataStore store(options, f.logger);
  store.Start("AUTH_a");  // returns with the check still to come
  ASSERT_TRUE(hold.WaitReached());
  EXPECT_FALSE(store.stats().persistent);
  // The open file is read at once: every record is verified on its own.
  EXPECT_EQ(store.Get(Key(3)), Meta(3));
  EXPECT_EQ(store.stats().disk_hits, 1u);
  store.Put(Key(100), Meta(100));
  EXPECT_EQ(store.Get(Key(100)), Meta(100));  // from memory
  EXPECT_EQ(f.Rows(), 20);                    // queued, not written before the check
  hold.Release();
  store.Flush();
  EXPECT_TRUE(hold.released_by_test());
  EXPECT_TRUE(store.stats().persistent);
  EXPECT_EQ(f.Rows(), 21);
  EXPECT_FALSE(f.logger.Contains("unusable"));
}

TEST(DiskVersionStoreTest, ADamagedFileAnswersRightOrNothingThenIsMadeAnew) {
  Fixture f;
  constexpr int kCount = 3000;
  {
    auto store = f.Mount();
    for (int i = 0; i < kCount; ++i) store->Put(Key(i), Meta(i));
  }
  // Not closed properly (as after a crash), everything in the main file.
  f.Sql("DELETE FROM state; PRAGMA wal_checkpoint(TRUNCATE)");
  {
    // Pages in the middle of the file overwritten with bytes that mean nothing (its first
    // pages, the header and the schema, intact: it opens).
    const auto size = std::filesystem::file_size(f.db());
    std::fstream file(f.db(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size / 3));
    uint32_t x = 12345;
    for (size_t i = 0; i < size / 6; ++i) {
      x = x * 1103515245 + 12345;
      file.put(static_cast<char>(x >> 24));
    }
  }
  CheckHold hold;
  DiskVersionStoreOptions options = f.Options(10);
  options.before_check = hold.Hook();
  auto store = std::make_unique<DiskVersionMetadataStore>(options, f.logger);
  store->Start("AUTH_a");
  ASSERT_TRUE(hold.WaitReached());
  // Before the check: what the file answers is right, or nothing.
  int found = 0;
  for (int i = 0; i < kCount; ++i) {
    if (auto got = store->Get(Key(i))) {
      EXPECT_EQ(*got, Meta(i)) << i;
      ++found;
    }
  }
  EXPECT_LT(found, kCount);  // the damage was seen
  store->Put(Key(kCount), Meta(kCount));
  hold.Release();
  store->Flush();
  EXPECT_TRUE(hold.released_by_test());
  EXPECT_TRUE(f.logger.Contains("unusable")) << f.logger.Joined();
  EXPECT_TRUE(store->stats().persistent);
  // A new file: the damaged one's rows are gone, the put queued during the check is in.
  EXPECT_EQ(f.Rows(), 1);
  store.reset();
  store = f.Mount(10);
  EXPECT_EQ(store->Get(Key(kCount)), Meta(kCount));
  for (int i = 0; i < kCount; i += 7) EXPECT_FALSE(store->Get(Key(i)).has_value()) << i;
}

// A file the last store closed properly is not checked again at Start (the check reads the
// whole file); one whose store did not close it (a crash: the mark cleared at Start stays
// cleared) is.
TEST(DiskVersionStoreTest, OnlyAFileNotClosedProperlyIsChecked) {
  Fixture f;
  f.Mount()->Put(Key(1), Meta(1));
  std::atomic<int> checks{0};
  DiskVersionStoreOptions options = f.Options();
  options.before_check = [&checks] { checks.fetch_add(1); };
  auto started = [&] {
    auto store = std::make_unique<DiskVersionMetadataStore>(options, f.logger);
    store->Start("AUTH_a");
    store->Flush();
    return store;
  };
  auto store = started();
  EXPECT_EQ(checks.load(), 0);
  EXPECT_TRUE(store->stats().persistent);
  EXPECT_EQ(store->Get(Key(1)), Meta(1));
  EXPECT_EQ(f.Sql1("SELECT count(*) FROM state"), 0);  // cleared while in use
  store->Put(Key(2), Meta(2));
  store.reset();
  EXPECT_EQ(f.Sql1("SELECT value FROM state WHERE name = 'closed_cleanly_rows'"), 2);
  f.Sql("DELETE FROM state");  // what a daemon killed while mounted leaves
  store = started();
  EXPECT_EQ(checks.load(), 1);
  EXPECT_TRUE(store->stats().persistent);
  EXPECT_EQ(store->Get(Key(2)), Meta(2));
}

TEST(DiskVersionStoreTest, BoundedLeastRecentlyUsedGo) {
  Fixture f;
  {
    auto store = f.Mount(1, 32);
    for (int i = 0; i < 100; ++i) {
      store->Put(Key(i), Meta(i));
      store->Flush();  // one batch each: use order is put order
      // Read back from the file (the memory level holds one entry): used again.
      ASSERT_EQ(store->Get(Key(0)), Meta(0)) << i;
    }
  }
  const int64_t rows = f.Rows();
  EXPECT_LE(rows, 32);
  EXPECT_GE(rows, 32 - 32 / 16 - 1);
  auto store = f.Mount(1, 32);
  EXPECT_EQ(store->Get(Key(99)), Meta(99));
  EXPECT_EQ(store->Get(Key(0)), Meta(0));  // kept by its reads
  EXPECT_FALSE(store->Get(Key(50)).has_value());
}

TEST(DiskVersionStoreTest, ConcurrentPutsAndGetsAreRightOrAbsent) {
  Fixture f;
  {
    auto store = f.Mount();
    for (int i = 0; i < 200; i += 2) store->Put(Key(i), Meta(i));
  }
  // A memory level of 16 entries: most Gets go to the file while the writer commits.
  auto store = f.Mount(16);
  std::atomic<int> wrong{0};
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (int i = t; i < 200; i += 3) {
          if (t % 2 == 1) store->Put(Key(i), Meta(i));
          auto got = store->Get(Key(i));
          if (got && !(*got == Meta(i))) wrong.fetch_add(1);
          if (got) found.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(found.load(), 0);
  store->Flush();
  store.reset();
  EXPECT_GE(f.Rows(), 100);
}

}  // namespace
}  // namespace swiftfs::cache
