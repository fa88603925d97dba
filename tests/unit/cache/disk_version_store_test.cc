// The persistent version metadata store: what a mount learnt is found by the next one (a
// new instance on the same directory), damaged records and files are dropped, never
// returned, the file stays within its bound, and concurrent Puts and Gets (label
// concurrency: also run under ThreadSanitizer) return the right metadata or nothing.

#include "swiftfs/cache/disk_version_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

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

struct Fixture {
  TempDir dir;
  NullLogger logger;

  std::unique_ptr<DiskVersionMetadataStore> Mount(size_t memory = 1000, size_t disk = 100'000,
                                                  const std::string& account = "AUTH_a") {
    DiskVersionStoreOptions options;
    options.dir = dir.path();
    options.memory_entries = memory;
    options.max_disk_entries = disk;
    auto store = std::make_unique<DiskVersionMetadataStore>(options, logger);
    store->Start(account);
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
  int64_t Rows() const {
    sqlite3* raw = nullptr;
    int64_t rows = -1;
    if (sqlite3_open(db().c_str(), &raw) == SQLITE_OK) {
      sqlite3_exec(
          raw, "SELECT count(*) FROM versions",
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
  EXPECT_EQ(store->stats().disk_hits, 50u);
  // Hot now: a second lookup is answered in memory.
  EXPECT_EQ(store->Get(Key(7)), Meta(7));
  EXPECT_EQ(store->stats().disk_hits, 50u);
  EXPECT_FALSE(store->Get(Key(50)).has_value());
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
  // (|| and replace() make text, so the results are cast back: keys are blobs.)
  f.Sql(
      "UPDATE versions SET record = CAST(substr(record, 1, 10) || x'FF' || substr(record, 12) "
      "AS BLOB) WHERE CAST(key AS TEXT) LIKE '%dir/o1%'");
  {
    auto store = f.Mount();
    EXPECT_FALSE(store->Get(Key(1)).has_value());
    EXPECT_EQ(store->stats().dropped, 1u);
    EXPECT_EQ(store->Get(Key(2)), Meta(2));
    store->Flush();
  }
  EXPECT_EQ(f.Rows(), 1);  // the damaged row is gone
  // A row moved under another key fails too (the key is part of the checksum).
  f.Sql(
      "UPDATE versions SET key = CAST(replace(replace(replace(CAST(key AS TEXT), 'dir/o2', "
      "'dir/o3'), 'etag2', 'etag3'), '1700000000000002', '1700000000000003') AS BLOB)");
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
