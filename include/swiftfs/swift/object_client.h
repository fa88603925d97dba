#pragma once
// ObjectClient: the operations the filesystem needs from Swift, with typed errors.
// SwiftClient (swift_client.h) implements it over HTTP with a TokenProvider; decorators add
// retries; tests/support/fake_object_client.h is an in-memory fake with operation counters
// and fault hooks. Names are raw bytes (container and object names as stored); encoding
// them into URLs is the implementation's job.
//
// Common errors of every method: kNotFound (404), kUnauthorized (401 after one
// re-authentication), kForbidden (403), kServerError/kTooManyRequests (after retries),
// kTimeout/kConnectionFailed/kTlsError (transport), kBadResponse (malformed reply).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "swiftfs/common/result.h"

namespace swiftfs::swift {

using WallTime = std::chrono::system_clock::time_point;

struct AccountInfo {
  uint64_t bytes_used = 0;
  uint64_t object_count = 0;
  uint64_t container_count = 0;
  std::optional<uint64_t> quota_bytes;  // X-Account-Meta-Quota-Bytes
};

struct ContainerEntry {
  std::string name;
  uint64_t object_count = 0;
  uint64_t bytes = 0;
  std::optional<WallTime> last_modified;
};

struct ContainerPage {
  std::vector<ContainerEntry> containers;
};

// An object's attributes, from HEAD (all fields) or from a listing entry (no metadata).
struct ObjectInfo {
  std::string name;
  uint64_t size = 0;  // Content-Length (HEAD) or bytes (listing)
  std::string etag;   // without quotes
  std::string content_type;
  WallTime last_modified{};                     // Last-Modified or listing last_modified
  std::optional<WallTime> meta_mtime;           // X-Object-Meta-Mtime when present
  std::string timestamp;                        // X-Timestamp, as sent
  std::map<std::string, std::string> metadata;  // X-Object-Meta-<name> (name lower-cased)
  std::optional<std::string> symlink_target;    // "container/object" of a Swift symlink
  // X-Symlink-Target-Account: set only for a link into another account, whose target
  // therefore cannot resolve inside this account's mount.
  std::optional<std::string> symlink_target_account;
  bool is_dlo = false;  // X-Object-Manifest present
  bool is_slo = false;  // X-Static-Large-Object: True
};

struct ListEntry {
  enum class Kind { kObject, kSubdir };
  Kind kind = Kind::kObject;
  std::string name;  // full object name, or for a subdir the prefix ending in the delimiter
  ObjectInfo info;   // kObject only: size, etag (hash), content_type, last_modified,
                     // symlink_target (symlink_path's container/object)
};

struct ListPage {
  std::vector<ListEntry> entries;
};

struct ListRequest {
  std::string container;
  std::string prefix;
  std::optional<char> delimiter;  // '/' for a directory view, none for a flat listing
  std::string marker;             // list names strictly after this one
  std::string end_marker;         // when set, list names strictly before this one
  uint32_t limit = 10000;
};

struct ClusterInfo {
  uint32_t container_listing_limit = 10000;  // from /info when exposed
};

// Result of a ranged read into the caller's buffer.
struct ReadResult {
  size_t bytes = 0;  // bytes written to the buffer; 0 at or past the end of the object
  // The object's total size when the reply told it (Content-Range "/total" of a 206 or 416,
  // Content-Length of a 200).
  std::optional<uint64_t> object_size;
  // False only from a single-attempt client (SwiftClient): the transfer stopped before the
  // range was complete (a 206 shorter than asked, a body cut off cleanly or by a reset) and
  // `bytes` are what arrived, all of them good. RetryingObjectClient resumes such a read
  // from the byte reached, so what the cache layer sees is always complete.
  bool complete = true;
};

// What bounds one GetRange besides the arguments.
struct ReadControl {
  // Set by another thread (a FUSE interrupt) to abandon the read: it fails with kCancelled
  // promptly, an HTTP transfer in flight is aborted. Null: never cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // Time one attempt may take, zero for none (the transport's own timeouts still apply).
  // The retrying client sets it to what is left of the operation's deadline.
  std::chrono::milliseconds timeout{0};
};

inline bool Cancelled(const ReadControl& control) {
  return control.cancel != nullptr && control.cancel->load(std::memory_order_relaxed);
}

class ObjectClient {
 public:
  virtual ~ObjectClient() = default;

  // GET /info, or defaults if the cluster does not expose it.
  virtual Result<ClusterInfo> GetClusterInfo() = 0;

  // HEAD the account: usage, counts, quota.
  virtual Result<AccountInfo> HeadAccount() = 0;

  // One page of the account's containers (format=json), names after `marker`.
  virtual Result<ContainerPage> ListContainers(const std::string& marker, uint32_t limit) = 0;

  // HEAD a container. kNotFound if it does not exist.
  virtual Result<ContainerEntry> HeadContainer(const std::string& container) = 0;

  // One page of a container listing (format=json). A page shorter than `limit` ends the
  // listing on Swift; callers continue from the last entry's name as the next marker.
  virtual Result<ListPage> ListObjects(const ListRequest& request) = 0;

  // HEAD an object: every attribute and metadata field. For a DLO manifest the size is
  // the assembled size Swift reports.
  virtual Result<ObjectInfo> HeadObject(const std::string& container, const std::string& name) = 0;

  // Reads up to buffer.size() bytes at `offset` into `buffer`. With a non-empty `if_match`
  // the read is of that etag's version only: kPreconditionFailed if the object changed.
  // The etag is a listing entry's or HeadObject's; for a DLO manifest only HeadObject's
  // works (its listing hash is the manifest document's, which Swift never matches).
  // Reading at or past the end returns 0 bytes (a 416 is not an error). A server that
  // answers 200 with the whole body is handled: the right slice is copied.
  // Fewer bytes than buffer.size() come back only when the object ends inside the range
  // (except from a single-attempt client, see ReadResult::complete).
  virtual Result<ReadResult> GetRange(const std::string& container, const std::string& name,
                                      uint64_t offset, std::span<char> buffer,
                                      const std::string& if_match) = 0;
  // The same, cancellable and with a time limit. The default ignores `control`: for fakes
  // and decorators that have no transfer to abort.
  virtual Result<ReadResult> GetRange(const std::string& container, const std::string& name,
                                      uint64_t offset, std::span<char> buffer,
                                      const std::string& if_match, const ReadControl& control) {
    if (Cancelled(control)) return MakeError(ErrorCode::kCancelled, "read interrupted");
    return GetRange(container, name, offset, buffer, if_match);
  }
};

}  // namespace swiftfs::swift
