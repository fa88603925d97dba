#pragma once
// VersionDb: one SQLite connection to the persistent version store's file
// (<cache_dir>/meta/versions.db), with the few statements the store runs, prepared once.
//
// One table, keyed by the row key (version_row_key.h: the account and the version, in
// listing order), holding the checksummed record (version_record.h) and a use number
// (larger: used more recently) that eviction orders by:
//
//   versions(key BLOB PRIMARY KEY, record BLOB, used INTEGER) WITHOUT ROWID, index on used
//   state(name TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID: 'closed_cleanly_rows', the
//     rows the table held when the last process to use the file closed it properly
//
// The file is in WAL mode, so readers on their own connections run beside the one writer.
// The file is a cache: synchronous=NORMAL (a power cut may lose the last transactions, never
// the file's consistency), and a file that SQLite cannot use is deleted and made anew.
//
// A VersionDb is not thread-safe: one thread uses it at a time (the store keeps a pool).
// SQLite connections must not cross a fork(): open them in the process that uses them.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/common/result.h"

namespace swiftfs::cache {

// A change the writer applies in one transaction with others.
struct VersionDbWrite {
  enum class Kind : uint8_t {
    kPut,    // insert or replace `record` under `key`
    kTouch,  // `key` was just used (a new use number), if present
    kDrop,   // delete `key` if it still holds exactly `record` (it failed verification)
  };
  Kind kind = Kind::kPut;
  std::string key;
  std::string record;
};

class VersionDb {
 public:
  // Opens (creating) the database at `path` and its table. kInternal when SQLite cannot
  // open it or it is not a database of this format.
  static Result<std::unique_ptr<VersionDb>> Open(const std::string& path);
  ~VersionDb();
  VersionDb(const VersionDb&) = delete;
  VersionDb& operator=(const VersionDb&) = delete;

  // PRAGMA quick_check: OkStatus when the file's structure is sound.
  Status Check();
  // Whether the last process to use the file closed it properly (MarkClosedCleanly): the
  // rows it held then, or nullopt. Clears the mark in the same transaction, so that a
  // process that dies before its own MarkClosedCleanly leaves the file unmarked.
  Result<std::optional<uint64_t>> TakeClosedCleanly();
  // Marks the file closed properly, holding `rows` rows: the last write before closing.
  Status MarkClosedCleanly(uint64_t rows);
  struct Row {
    std::string key;
    std::string record;
    uint64_t used = 0;  // its use number
  };
  // The first `limit` rows whose keys are `from` or after, in key order, in `rows`
  // (replaced). An error when the read failed (a damaged file).
  Status Scan(std::string_view from, size_t limit, std::vector<Row>& rows);
  // Applies `writes` in order in one transaction; puts and touches take use numbers from
  // `next_use` on (advanced).
  Status Apply(std::span<const VersionDbWrite> writes, uint64_t& next_use);
  Result<uint64_t> Count();
  // The largest use number stored (0 when empty).
  Result<uint64_t> MaxUse();
  // Deletes the `count` least recently used rows.
  Status EvictOldest(uint64_t count);

 private:
  struct StatementDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

  explicit VersionDb(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  Result<Statement> Prepare(const char* sql);
  // Runs a prepared write statement to completion and resets it.
  Status Step(sqlite3_stmt* statement);
  Error SqlError(const std::string& what) const;

  sqlite3* db_;  // owned: closed by the destructor, after the statements
  Statement scan_;
  Statement put_;
  Statement touch_;
  Statement drop_;
};

}  // namespace swiftfs::cache
