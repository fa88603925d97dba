#pragma once
// Upload: the one owner of a file being written, shared by every handle open for writing
// on its inode (and by readers of it while it lives), so two writers of one file write
// one content and one commit publishes it. The core reaches it only through this
// interface (UploadFactory makes them), so core tests may fake it.
//
// States: open (nothing to publish) -> writing (dirty) -> committing -> committed (clean;
// writing may go on, the next commit replaces the object) | failed (terminal: every later
// Write, Flush, Fsync returns the error). A commit is the only moment Swift's view of the
// object changes: one PUT (with its MD5 as ETag) or one SLO manifest PUT.
//
// Thread-safe; no method holds the upload's lock across a request.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// What a commit published.
struct CommitOutcome {
  std::string container;  // where it was published (a rename may have moved the file)
  std::string name;
  uint64_t size = 0;
  std::string etag;
  swift::WallTime mtime{};  // the X-Object-Meta-Mtime it stored
};

struct UploadState {
  uint64_t size = 0;
  swift::WallTime mtime{};
  bool dirty = false;            // something to commit
  std::string committed_etag;    // of this upload's last commit; empty before the first
  std::optional<Error> failure;  // set once failed
  uint64_t local_bytes = 0;      // of the staging budget its local copy holds
};

class Upload {
 public:
  virtual ~Upload() = default;
  // Writes `data` at `offset`; returns data.size(). kTooLarge past the largest file the
  // cluster allows, kNoSpace past the staging budget, or the upload's failure.
  virtual Result<size_t> Write(uint64_t offset, std::span<const char> data) = 0;
  // Reads what the file holds now (written bytes included); short only at its end.
  virtual Result<size_t> Read(uint64_t offset, std::span<char> buffer) = 0;
  // Sets the size (shrink, or grow with zeros).
  virtual Status Truncate(uint64_t size) = 0;
  // The mtime the next commit stores (utimens); a later write sets it to its own time.
  // Makes the upload dirty when `dirty` (so the time is published by the next commit).
  virtual void SetMtime(swift::WallTime mtime, bool dirty) = 0;
  // Publishes the content if dirty (else does nothing) and returns the outcome: the
  // failure of the upload if it failed, now or earlier.
  virtual Status Commit() = 0;
  virtual UploadState State() const = 0;
};

// Where an upload publishes, and what the name held when it started.
struct UploadTarget {
  std::string container;
  std::string name;
  std::string content_type;                     // kept from the object ("" for new files)
  std::map<std::string, std::string> metadata;  // the object's user metadata, kept
  // The object to build on (its etag pins every read of it); none: start empty.
  std::optional<std::string> base_etag;
  uint64_t base_size = 0;
  swift::WallTime base_mtime{};
  // The name may hold an SLO this upload's commit replaces (its segments are deleted after
  // the commit, see segment_names.h).
  bool previous_may_be_slo = false;
  // A new file: committed even if nothing is written (touch), and with If-None-Match when
  // `exclusive` (O_EXCL), so a name created meanwhile elsewhere is not replaced.
  bool new_file = false;
  bool exclusive = false;
  // Where the file is now, asked before each commit: a rename moves it (the commit goes to
  // the new container/name); nullopt when it was unlinked meanwhile (the commit drops the
  // data, as POSIX drops an unlinked file's at its last close, instead of bringing the
  // name back). Unset: always container/name above.
  std::function<std::optional<std::pair<std::string, std::string>>()> where;
};

class UploadFactory {
 public:
  virtual ~UploadFactory() = default;
  // `on_commit` runs after each successful commit, with no lock held.
  virtual std::shared_ptr<Upload> Start(UploadTarget target,
                                        std::function<void(const CommitOutcome&)> on_commit) = 0;
};

}  // namespace swiftfs::core
