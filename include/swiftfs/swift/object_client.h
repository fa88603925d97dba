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

// Limits from /info when exposed, else Swift's defaults.
struct ClusterInfo {
  uint32_t container_listing_limit = 10000;
  uint64_t max_file_size = 5368709122;  // swift.max_file_size: the largest single PUT
  // Static Large Objects (/info "slo"); slo_enabled false when the middleware is absent.
  bool slo_enabled = true;
  uint32_t slo_max_manifest_segments = 1000;
  uint64_t slo_max_manifest_size = 8 * 1024 * 1024;  // bytes of the manifest document
  uint64_t slo_min_segment_size = 1;                 // bytes of every segment but the last
};

// What an upload (UploadObject, UploadManifest, CopyObject) writes besides the bytes.
struct ObjectWrite {
  std::string container;
  std::string name;
  std::string content_type;  // empty: Swift guesses from the name
  // X-Object-Meta-<name>: value. Replaces all of the object's user metadata.
  std::map<std::string, std::string> metadata;
  // MD5 hex of the body, sent as ETag so Swift refuses a body that arrived damaged
  // (kChecksumMismatch). Empty: not sent. For a manifest, see UploadManifest.
  std::string etag;
  // If-None-Match: *: the upload fails with kExists when the name already holds an object.
  bool if_none_match = false;
};

// What Swift answered to a successful upload.
struct WriteResult {
  std::string etag;  // the new version's ETag (for an SLO, the manifest's quoted-free ETag)
  std::optional<WallTime> last_modified;
};

// One entry of an SLO manifest (the "path"/"etag"/"size_bytes" of Swift's format).
struct SloSegment {
  std::string path;  // "container/object" of the segment, unencoded, no leading slash
  std::string etag;  // the segment's MD5 hex; Swift checks it at manifest PUT
  uint64_t size_bytes = 0;
  // A byte range of the segment ("range": "first-last"); none: the whole segment.
  std::optional<std::pair<uint64_t, uint64_t>> range;
};

enum class DeleteMode {
  kObjectOnly,    // a manifest's segments stay (they may be shared after a rename)
  kWithSegments,  // ?multipart-manifest=delete: an SLO and its segments
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
  // The reply's object headers, as HeadObject would give them (user metadata, content type,
  // X-Timestamp; `size` the object's total), from a 200 or 206 whose headers parsed; else
  // nullopt. One GET of a small file can so stand in for its HEAD. Beware that a GET
  // follows a Swift symlink: these then describe the target.
  std::optional<ObjectInfo> info;
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

  // --- Writes. The defaults refuse (kNotSupported): a client that cannot write, such as
  // a read-only test double, need not implement them. Every write is visible only when
  // Swift has it whole (a single PUT or a manifest PUT): no method leaves a partial object.

  // PUT of a whole object from memory. kChecksumMismatch when write.etag is set and
  // Swift received other bytes; kQuotaExceeded / kTooLarge for a 413; kNoSpace for 507.
  virtual Result<WriteResult> UploadObject(const ObjectWrite& write, std::span<const char> body) {
    (void)write;
    (void)body;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
  // PUT of an SLO manifest (?multipart-manifest=put) naming `segments` in order; Swift
  // checks each segment's etag and size before the manifest becomes visible.
  // `write.etag`, when set, is the MD5 of the concatenated segment etags (Swift's SLO Etag).
  // Swift's 400 for a manifest it refuses (a segment missing or of another etag or size,
  // an unsatisfiable range, a segment under min_segment_size, no segment) is
  // kInvalidArgument, not kBadResponse: the request was wrong, not the reply, and retrying
  // the same manifest cannot succeed. Past max_manifest_segments: kTooLarge (413).
  virtual Result<WriteResult> UploadManifest(const ObjectWrite& write,
                                             const std::vector<SloSegment>& segments) {
    (void)write;
    (void)segments;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
  // The segments an SLO manifest names (GET ?multipart-manifest=get). kInvalidArgument if
  // the object is not an SLO.
  virtual Result<std::vector<SloSegment>> GetManifest(const std::string& container,
                                                      const std::string& name) {
    (void)container;
    (void)name;
    return MakeError(ErrorCode::kNotSupported, "this client cannot read manifests");
  }
  // DELETE. kNotFound when absent (callers that only want it gone treat that as done).
  virtual Status DeleteObject(const std::string& container, const std::string& name,
                              DeleteMode mode) {
    (void)container;
    (void)name;
    (void)mode;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
  // Server-side copy of source_container/source_name to destination (a PUT with
  // X-Copy-From). A manifest is copied as a manifest (?multipart-manifest=get), so the
  // copy shares the segments. The destination keeps the source's metadata and content type
  // unless `destination.metadata`/`content_type` are given (then they replace them);
  // `destination.etag`, when set, is an If-Match on the source: kPreconditionFailed if it
  // changed.
  virtual Result<WriteResult> CopyObject(const std::string& source_container,
                                         const std::string& source_name,
                                         const ObjectWrite& destination) {
    (void)source_container;
    (void)source_name;
    (void)destination;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
  // POST: replaces the object's user metadata (and content type when not empty); the data
  // and ETag are unchanged. Callers keep the metadata they do not change by sending it.
  virtual Status PostObject(const std::string& container, const std::string& name,
                            const std::map<std::string, std::string>& metadata,
                            const std::string& content_type) {
    (void)container;
    (void)name;
    (void)metadata;
    (void)content_type;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
  // PUT / DELETE of a container. DeleteContainer: kConflict when it still holds objects.
  virtual Status PutContainer(const std::string& container) {
    (void)container;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
  virtual Status DeleteContainer(const std::string& container) {
    (void)container;
    return MakeError(ErrorCode::kNotSupported, "this client cannot write");
  }
};

}  // namespace swiftfs::swift
