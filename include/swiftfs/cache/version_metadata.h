#pragma once
// VersionMetadataStore: what a HEAD told about one version of an object and a listing does
// not (X-Object-Meta-Mtime and the other user metadata, the content type, X-Timestamp,
// manifest and symlink facts), remembered per version so it is asked once per version,
// not once per path, per mount or per cache expiry.
//
// A version is (container, name, etag, timestamp): an object overwritten gets a new
// timestamp (and usually a new etag), so a remembered answer never describes another
// version and needs no TTL. The timestamp is the version's creation time as Swift records
// it: a listing's `last_modified`, or a HEAD's X-Timestamp (the same instant, at 10
// microsecond precision; Last-Modified is that rounded up to the second, so it stands in
// only when a server sends no X-Timestamp). Keys compare it in whole microseconds.
//
// An interface, because the store has two homes: LruVersionMetadataStore (memory, bounded,
// one mount) and the persistent disk cache (one store across remounts). Keys and values
// are plain values, so an implementation may serialise them (VersionKey::Encoded()).
//
// Thread-safety: every method of every implementation may be called concurrently; none
// calls back into its caller or does network I/O.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

struct VersionKey {
  std::string container;
  std::string name;
  std::string etag;
  swift::WallTime timestamp{};  // listing last_modified / HEAD X-Timestamp

  // Microseconds since the epoch: the precision keys compare at.
  int64_t timestamp_us() const;
  // One string naming the version, unambiguous (lengths before names).
  std::string Encoded() const;
  bool operator==(const VersionKey& other) const;
};

// What HEAD says about a version beyond the listing's bytes, hash and last_modified.
struct VersionMetadata {
  std::optional<swift::WallTime> meta_mtime;    // X-Object-Meta-Mtime, parsed
  std::map<std::string, std::string> metadata;  // X-Object-Meta-<name> (lower-case name)
  std::string content_type;
  std::string timestamp;  // X-Timestamp as sent
  uint64_t size = 0;      // Content-Length (a DLO: its assembled size when asked)
  std::optional<std::string> symlink_target;
  std::optional<std::string> symlink_target_account;
  bool is_dlo = false;
  bool is_slo = false;

  bool operator==(const VersionMetadata& other) const = default;
};

// The key of the version a HEAD described: X-Timestamp when present, else Last-Modified.
VersionKey KeyOfHead(const std::string& container, const std::string& name,
                     const swift::ObjectInfo& head);
// The parts of a HEAD the store keeps.
VersionMetadata MetadataOfHead(const swift::ObjectInfo& head);
// The ObjectInfo a HEAD of `key` would have given (for code written against HEADs).
swift::ObjectInfo InfoOf(const VersionKey& key, const VersionMetadata& metadata);

class VersionMetadataStore {
 public:
  virtual ~VersionMetadataStore() = default;
  // What was stored for `key`, or nullopt. A store may forget anything at any time.
  virtual std::optional<VersionMetadata> Get(const VersionKey& key) = 0;
  // Remembers `metadata` for `key`, replacing what was there.
  virtual void Put(const VersionKey& key, const VersionMetadata& metadata) = 0;
};

// In memory; past `max_entries` the least recently used version goes (0: stores nothing).
// About 300 bytes a version plus its metadata. One mutex, a leaf lock.
class LruVersionMetadataStore final : public VersionMetadataStore {
 public:
  explicit LruVersionMetadataStore(size_t max_entries) : max_entries_(max_entries) {}

  std::optional<VersionMetadata> Get(const VersionKey& key) override;
  void Put(const VersionKey& key, const VersionMetadata& metadata) override;
  size_t size() const;

 private:
  struct Node {
    std::string key;  // VersionKey::Encoded()
    VersionMetadata metadata;
  };
  const size_t max_entries_;
  mutable Mutex mu_;
  std::list<Node> lru_ GUARDED_BY(mu_);  // most recently used first
  std::unordered_map<std::string, std::list<Node>::iterator> index_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::cache
