#pragma once
// Shared by the version store's tests (disk_version_store_test.cc,
// disk_version_store_check_test.cc): versions and metadata that differ for every i, and a
// fixture that starts stores on one temporary directory and reads their file with SQLite.

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "cache/disk/version_row_key.h"
#include "swiftfs/cache/disk_version_store.h"
#include "swiftfs/common/log.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache::testing_util {

inline VersionKey Key(int i) {
  return VersionKey{"c", "dir/o" + std::to_string(i), "etag" + std::to_string(i),
                    swift::WallTime(std::chrono::microseconds(1'700'000'000'000'000 + i))};
}

// Different for every i, so a record returned under the wrong key would show.
inline VersionMetadata Meta(int i) {
  VersionMetadata m;
  m.meta_mtime = swift::WallTime(std::chrono::seconds(1'000'000'000 + i));
  m.metadata["mtime"] = std::to_string(1'000'000'000 + i);
  m.content_type = "application/octet-stream";
  m.timestamp = "1700000000." + std::to_string(i);
  m.size = 100 + i;
  return m;
}

// The SQL literal (x'...') of `key`'s row key in the store of account AUTH_a.
inline std::string RowLiteral(const VersionKey& key) {
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

}  // namespace swiftfs::cache::testing_util
