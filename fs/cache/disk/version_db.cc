#include "cache/disk/version_db.h"

namespace swiftfs::cache {
namespace {

// Bumped when the table's meaning changes: a file of another version is emptied.
// 2: row keys in listing order (version_row_key.h).
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS versions("
    "  key BLOB PRIMARY KEY, record BLOB NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS versions_used ON versions(used);"
    "CREATE TABLE IF NOT EXISTS state(name TEXT PRIMARY KEY, value INTEGER NOT NULL) "
    "WITHOUT ROWID;";

int Bind(sqlite3_stmt* s, int column, std::string_view bytes) {
  return sqlite3_bind_blob64(s, column, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

}  // namespace

Result<std::unique_ptr<VersionDb>> VersionDb::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<VersionDb> db(new VersionDb(raw));  // closes `raw` even when open failed
  if (rc != SQLITE_OK) return db->SqlError("cannot open " + path);
  // Another connection of this store may hold the write lock for a moment (the writer's
  // transaction, a checkpoint): wait for it rather than fail.
  sqlite3_busy_timeout(raw, 5000);
  if (auto s = db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                        "PRAGMA journal_size_limit=8388608;");
      !s) {
    return std::move(s).error();
  }
  int version = 0;
  {
    auto statement = db->Prepare("PRAGMA user_version");
    if (!statement) return std::move(statement).error();
    if (sqlite3_step(statement->get()) == SQLITE_ROW) {
      version = sqlite3_column_int(statement->get(), 0);
    }
  }
  if (version != 0 && version != kSchemaVersion) {
    if (auto s = db->Exec("DROP TABLE IF EXISTS versions; DROP TABLE IF EXISTS state"); !s) {
      return std::move(s).error();
    }
  }
  if (auto s = db->Exec(kSchema); !s) return std::move(s).error();
  if (version != kSchemaVersion) {
    const std::string set = "PRAGMA user_version=" + std::to_string(kSchemaVersion);
    if (auto s = db->Exec(set.c_str()); !s) return std::move(s).error();
  }
  struct Named {
    Statement* statement;
    const char* sql;
  };
  for (const Named& n : {
           Named{&db->scan_,
                 "SELECT key, record, used FROM versions WHERE key >= ?1 ORDER BY key LIMIT ?2"},
           Named{&db->put_,
                 "INSERT OR REPLACE INTO versions(key, record, used) VALUES(?1, ?2, ?3)"},
           Named{&db->touch_, "UPDATE versions SET used = ?2 WHERE key = ?1"},
           Named{&db->drop_, "DELETE FROM versions WHERE key = ?1 AND record = ?2"},
       }) {
    auto statement = db->Prepare(n.sql);
    if (!statement) return std::move(statement).error();
    *n.statement = std::move(*statement);
  }
  return db;
}

VersionDb::~VersionDb() {
  scan_.reset();
  put_.reset();
  touch_.reset();
  drop_.reset();
  sqlite3_close_v2(db_);
}

Error VersionDb::SqlError(const std::string& what) const {
  const char* message = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
  return MakeError(ErrorCode::kInternal, what + ": " + message);
}

Status VersionDb::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(sql);
  return OkStatus();
}

Result<VersionDb::Statement> VersionDb::Prepare(const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) return SqlError(sql);
  return Statement(raw);
}

Status VersionDb::Step(sqlite3_stmt* statement) {
  const int rc = sqlite3_step(statement);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_DONE) return SqlError("write");
  return OkStatus();
}

Status VersionDb::Check() {
  auto statement = Prepare("PRAGMA quick_check(1)");
  if (!statement) return std::move(statement).error();
  if (sqlite3_step(statement->get()) != SQLITE_ROW) return SqlError("quick_check");
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement->get(), 0));
  if (text == nullptr || std::string_view(text) != "ok") {
    return MakeError(ErrorCode::kInternal,
                     std::string("quick_check: ") + (text != nullptr ? text : "no answer"));
  }
  return OkStatus();
}

Status VersionDb::Scan(std::string_view from, size_t limit, std::vector<Row>& rows) {
  rows.clear();
  sqlite3_stmt* s = scan_.get();
  Bind(s, 1, from);
  sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(limit));
  auto column = [s](int i) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(s, i));
    return std::string(data != nullptr ? data : "",
                       static_cast<size_t>(sqlite3_column_bytes(s, i)));
  };
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    rows.push_back(Row{column(0), column(1), static_cast<uint64_t>(sqlite3_column_int64(s, 2))});
  }
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc != SQLITE_DONE) return SqlError("read");
  return OkStatus();
}

Status VersionDb::Apply(std::span<const VersionDbWrite> writes, uint64_t& next_use) {
  if (auto s = Exec("BEGIN IMMEDIATE"); !s) return s;
  for (const VersionDbWrite& w : writes) {
    Status done = OkStatus();
    switch (w.kind) {
      case VersionDbWrite::Kind::kPut:
        Bind(put_.get(), 1, w.key);
        Bind(put_.get(), 2, w.record);
        sqlite3_bind_int64(put_.get(), 3, static_cast<sqlite3_int64>(next_use++));
        done = Step(put_.get());
        break;
      case VersionDbWrite::Kind::kTouch:
        Bind(touch_.get(), 1, w.key);
        sqlite3_bind_int64(touch_.get(), 2, static_cast<sqlite3_int64>(next_use++));
        done = Step(touch_.get());
        break;
      case VersionDbWrite::Kind::kDrop:
        Bind(drop_.get(), 1, w.key);
        Bind(drop_.get(), 2, w.record);
        done = Step(drop_.get());
        break;
    }
    if (!done) {
      (void)Exec("ROLLBACK");
      return done;
    }
  }
  if (auto s = Exec("COMMIT"); !s) {
    (void)Exec("ROLLBACK");
    return s;
  }
  return OkStatus();
}

Result<std::optional<uint64_t>> VersionDb::TakeClosedCleanly() {
  if (auto s = Exec("BEGIN IMMEDIATE"); !s) return std::move(s).error();
  std::optional<uint64_t> rows;
  int rc = SQLITE_ERROR;
  {
    auto statement = Prepare("SELECT value FROM state WHERE name = 'closed_cleanly_rows'");
    if (statement) {
      rc = sqlite3_step(statement->get());
      if (rc == SQLITE_ROW) rows = static_cast<uint64_t>(sqlite3_column_int64(statement->get(), 0));
    }
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    Error error = SqlError("read state");
    (void)Exec("ROLLBACK");
    return error;
  }
  if (auto s = Exec("DELETE FROM state WHERE name = 'closed_cleanly_rows'"); !s) {
    (void)Exec("ROLLBACK");
    return std::move(s).error();
  }
  if (auto s = Exec("COMMIT"); !s) {
    (void)Exec("ROLLBACK");
    return std::move(s).error();
  }
  return rows;
}

Status VersionDb::MarkClosedCleanly(uint64_t rows) {
  const std::string sql =
      "INSERT OR REPLACE INTO state(name, value) VALUES('closed_cleanly_rows', " +
      std::to_string(rows) + ")";
  return Exec(sql.c_str());
}

Result<uint64_t> VersionDb::Count() {
  auto statement = Prepare("SELECT count(*) FROM versions");
  if (!statement) return std::move(statement).error();
  if (sqlite3_step(statement->get()) != SQLITE_ROW) return SqlError("count");
  return static_cast<uint64_t>(sqlite3_column_int64(statement->get(), 0));
}

Result<uint64_t> VersionDb::MaxUse() {
  auto statement = Prepare("SELECT coalesce(max(used), 0) FROM versions");
  if (!statement) return std::move(statement).error();
  if (sqlite3_step(statement->get()) != SQLITE_ROW) return SqlError("max(used)");
  return static_cast<uint64_t>(sqlite3_column_int64(statement->get(), 0));
}

Status VersionDb::EvictOldest(uint64_t count) {
  auto statement = Prepare(
      "DELETE FROM versions WHERE key IN (SELECT key FROM versions ORDER BY used LIMIT ?1)");
  if (!statement) return std::move(statement).error();
  sqlite3_bind_int64(statement->get(), 1, static_cast<sqlite3_int64>(count));
  return Step(statement->get());
}

}  // namespace swiftfs::cache
