// The persistent version metadata store: what a mount learnt is found by the next one (a
// new instance on the same directory), damaged records and files are dropped, never
// returned, the file stays within its bound, and concurrent Puts and Gets (label
// concurrency: also run under ThreadSanitizer) return the right metadata or nothing.
// Lookups in listing order read ahead. (The file's check: disk_version_store_check_test.cc.)

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

#include "unit/cache/version_store_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Fixture;
using testing_util::Key;
using testing_util::Meta;
using testing_util::RowLiteral;

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