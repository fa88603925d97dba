#pragma once
// FakeObjectClient: an in-memory Swift account implementing swift::ObjectClient, for
// testing the cache, core and FUSE layers without a server.
//
// It behaves like Swift where the filesystem can tell the difference:
//  - listings are sorted by bytes; prefix, delimiter (subdir entries, a subdir equal to the
//    marker is not repeated, the listing continues after the subdir's last name), marker
//    and limit follow Swift's container-server algorithm; a page past the end is empty;
//  - an object's etag is the MD5 hex of its data; a DLO manifest lists with its own size
//    (0 unless `listed_size` says otherwise) while HEAD reports the assembled size; a
//    symlink lists with 0 bytes, content type application/symlink and its target;
//  - HEAD rounds Last-Modified up to the whole second, as Swift does;
//  - GetRange: If-Match with another etag -> kPreconditionFailed; at or past the end
//    (any range of a 0-byte object) -> 0 bytes, as the real client maps a 416.
//  - writes (fake_object_client_writes.cc) check what Swift checks and fail with the code
//    SwiftClient maps Swift's answer to: a missing container (404), the body's MD5 against
//    ObjectWrite::etag (422 kChecksumMismatch), If-None-Match (412 kExists), max_file_size
//    (413 kTooLarge), the quota set with SetQuota (413 kQuotaExceeded), a manifest's
//    segments (400 kInvalidArgument), a non-empty container's DELETE (409 kConflict).
//    An SLO's data is the concatenation of its segments (ranges applied) taken at the
//    manifest PUT, its ETag the MD5 of the segment ETags as Swift computes it; deleting a
//    segment later does not change what the fake serves for the manifest (Swift would fail
//    the GET part-way). Content type: as given, else application/octet-stream (Swift
//    guesses from the name). X-Object-Meta-Mtime in the metadata sets meta_mtime.
//
// Every operation is counted, and each can be given a fault hook: a function called
// (without the fake's lock held, so it may block or change the fake) before the operation
// runs; an Error it returns is the operation's answer. Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "swiftfs/swift/object_client.h"

namespace swiftfs::testing {

// MD5 of `data` as 32 lower-case hex digits (Swift's ETag of a plain object).
std::string Md5Hex(std::string_view data);

// Attributes of an object stored in the fake, other than its data.
struct FakeObjectOptions {
  std::string content_type = "application/octet-stream";
  // Listing last_modified; defaults to the fake's current time (see SetNow).
  std::optional<swift::WallTime> last_modified{};
  std::optional<swift::WallTime> meta_mtime{};    // X-Object-Meta-Mtime
  std::map<std::string, std::string> metadata{};  // X-Object-Meta-<name>, lower-case names
  std::optional<std::string> symlink_target{};    // "container/object"
  bool is_dlo = false;
  bool is_slo = false;
  // Size the listing reports. Default: 0 for DLO manifests and symlinks, else data size.
  std::optional<uint64_t> listed_size{};
};

class FakeObjectClient final : public swift::ObjectClient {
 public:
  enum class Op {
    kGetClusterInfo,
    kHeadAccount,
    kListContainers,
    kHeadContainer,
    kListObjects,
    kHeadObject,
    kGetRange,
    // Writes.
    kUploadObject,
    kUploadManifest,
    kGetManifest,
    kDeleteObject,
    kCopyObject,
    kPostObject,
    kPutContainer,
    kDeleteContainer,
  };
  // What a fault hook sees of a call.
  struct Call {
    Op op = Op::kGetClusterInfo;
    std::string container{};
    std::string name{};      // object name (HEAD, GET) or prefix (listing)
    std::string marker{};    // listings
    uint64_t offset = 0;     // GetRange
    size_t length = 0;       // GetRange buffer size
    std::string if_match{};  // GetRange; CopyObject: destination.etag (If-Match on source)
    // Writes. `container`/`name` are the object written (the copy's destination).
    size_t body_size = 0;             // UploadObject
    size_t segment_count = 0;         // UploadManifest
    std::string etag{};               // UploadObject, UploadManifest: ObjectWrite::etag
    bool if_none_match = false;       // UploadObject, UploadManifest, CopyObject
    std::string source{};             // CopyObject: "container/object" copied from
    swift::DeleteMode delete_mode{};  // DeleteObject
  };
  using FaultHook = std::function<std::optional<Error>(const Call&)>;

  FakeObjectClient();

  // --- Setting up the account (all thread-safe) ---
  void CreateContainer(const std::string& container);
  // Creates the container if needed; replaces an existing object of that name.
  void PutObject(const std::string& container, const std::string& name, std::string data,
                 FakeObjectOptions options = {});
  // Convenience: a Swift symlink (0 bytes, application/symlink) to "container/object".
  void PutSymlink(const std::string& container, const std::string& name, const std::string& target);
  void RemoveObject(const std::string& container, const std::string& name);
  void RemoveContainer(const std::string& container);
  void SetClusterInfo(swift::ClusterInfo info);
  void SetQuota(std::optional<uint64_t> quota_bytes);
  // Time used for objects stored without an explicit last_modified, and for every write.
  void SetNow(swift::WallTime now);

  // --- Inspecting the account (for checking what writes left behind) ---
  struct StoredView {
    std::string data;  // for an SLO, the concatenated segments
    std::string etag;
    std::string content_type;
    std::map<std::string, std::string> metadata;
    bool is_slo = false;
    std::vector<swift::SloSegment> manifest;  // an SLO's segments, as given to UploadManifest
    swift::WallTime last_modified{};
  };
  // The object as stored, or nullopt; not counted, no hook.
  std::optional<StoredView> Stored(const std::string& container, const std::string& name) const;
  // Every object name of the container in byte order (empty if the container is absent).
  std::vector<std::string> ObjectNames(const std::string& container) const;
  bool HasContainer(const std::string& container) const;

  // --- Fault injection ---
  // Installs (or with nullptr removes) the hook of one operation.
  void SetFaultHook(Op op, FaultHook hook);
  // The next `count` calls of `op` fail with `error`; later calls run normally.
  void FailNext(Op op, int count, Error error);

  // --- Counters ---
  uint64_t cluster_info_count() const { return Count(Op::kGetClusterInfo); }
  uint64_t head_account_count() const { return Count(Op::kHeadAccount); }
  uint64_t list_containers_count() const { return Count(Op::kListContainers); }
  uint64_t head_container_count() const { return Count(Op::kHeadContainer); }
  uint64_t list_objects_count() const { return Count(Op::kListObjects); }
  uint64_t head_object_count() const { return Count(Op::kHeadObject); }
  uint64_t get_range_count() const { return Count(Op::kGetRange); }
  uint64_t upload_object_count() const { return Count(Op::kUploadObject); }
  uint64_t upload_manifest_count() const { return Count(Op::kUploadManifest); }
  uint64_t get_manifest_count() const { return Count(Op::kGetManifest); }
  uint64_t delete_object_count() const { return Count(Op::kDeleteObject); }
  uint64_t copy_object_count() const { return Count(Op::kCopyObject); }
  uint64_t post_object_count() const { return Count(Op::kPostObject); }
  uint64_t put_container_count() const { return Count(Op::kPutContainer); }
  uint64_t delete_container_count() const { return Count(Op::kDeleteContainer); }
  uint64_t bytes_served() const { return bytes_served_.load(); }
  // Body bytes of the UploadObject calls that stored an object.
  uint64_t bytes_uploaded() const { return bytes_uploaded_.load(); }
  uint64_t Count(Op op) const { return counts_[static_cast<int>(op)].load(); }
  // Every request counted, of any kind.
  uint64_t total_count() const;
  // Copies of the listing requests received so far, oldest first.
  std::vector<swift::ListRequest> list_requests() const;
  void ResetCounters();

  // --- swift::ObjectClient ---
  Result<swift::ClusterInfo> GetClusterInfo() override;
  Result<swift::AccountInfo> HeadAccount() override;
  Result<swift::ContainerPage> ListContainers(const std::string& marker, uint32_t limit) override;
  Result<swift::ContainerEntry> HeadContainer(const std::string& container) override;
  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override;
  Result<swift::ObjectInfo> HeadObject(const std::string& container,
                                       const std::string& name) override;
  Result<swift::ReadResult> GetRange(const std::string& container, const std::string& name,
                                     uint64_t offset, std::span<char> buffer,
                                     const std::string& if_match) override;
  Result<swift::WriteResult> UploadObject(const swift::ObjectWrite& write,
                                          std::span<const char> body) override;
  Result<swift::WriteResult> UploadManifest(
      const swift::ObjectWrite& write, const std::vector<swift::SloSegment>& segments) override;
  Result<std::vector<swift::SloSegment>> GetManifest(const std::string& container,
                                                     const std::string& name) override;
  Status DeleteObject(const std::string& container, const std::string& name,
                      swift::DeleteMode mode) override;
  Result<swift::WriteResult> CopyObject(const std::string& source_container,
                                        const std::string& source_name,
                                        const swift::ObjectWrite& destination) override;
  Status PostObject(const std::string& container, const std::string& name,
                    const std::map<std::string, std::string>& metadata,
                    const std::string& content_type) override;
  Status PutContainer(const std::string& container) override;
  Status DeleteContainer(const std::string& container) override;

 private:
  struct StoredObject {
    std::string data;
    std::string etag;
    std::string timestamp;
    FakeObjectOptions options;
    std::vector<swift::SloSegment> manifest;  // is_slo objects written by UploadManifest
  };
  struct Container {
    std::map<std::string, StoredObject> objects;  // std::less<string>: byte order
    swift::WallTime created{};
  };
  static constexpr int kOpCount = static_cast<int>(Op::kDeleteContainer) + 1;

  // Counts the call and runs its hook; an Error is the call's answer.
  std::optional<Error> Enter(const Call& call);
  static swift::ObjectInfo ListingInfo(const std::string& name, const StoredObject& object);
  static swift::ObjectInfo HeadInfo(const std::string& name, const StoredObject& object);
  // Checks shared by the uploads (container present, If-None-Match, size and quota limits);
  // nullopt when the write may go ahead. Called with mu_ held.
  std::optional<Error> CheckWritable(const swift::ObjectWrite& write, uint64_t size) const;
  // Stores `object` under write.container/write.name with the write's attributes and the
  // fake's now; returns what the PUT answers. Called with mu_ held.
  swift::WriteResult Store(const swift::ObjectWrite& write, StoredObject object);
  uint64_t BytesUsed() const;  // called with mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Container> containers_;    // GUARDED_BY(mu_)
  swift::ClusterInfo cluster_info_;                // GUARDED_BY(mu_)
  std::optional<uint64_t> quota_bytes_;            // GUARDED_BY(mu_)
  swift::WallTime now_;                            // GUARDED_BY(mu_)
  FaultHook hooks_[kOpCount];                      // GUARDED_BY(mu_)
  std::vector<swift::ListRequest> list_requests_;  // GUARDED_BY(mu_)
  std::atomic<uint64_t> counts_[kOpCount]{};
  std::atomic<uint64_t> bytes_served_{0};
  std::atomic<uint64_t> bytes_uploaded_{0};
};

}  // namespace swiftfs::testing
