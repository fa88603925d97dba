#pragma once
// MetadataCache: what HEAD said about object paths, positive (the attributes and metadata)
// or negative (404), each valid for a TTL measured on Clock::Monotonic(). Bounded: past
// `max_entries` the least recently used entry goes. Keys are opaque strings chosen by the
// caller (the core uses "container/object").
//
// Thread-safety: every method may be called concurrently; one internal mutex (a leaf lock:
// nothing is called while it is held).

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

class MetadataCache {
 public:
  using Duration = std::chrono::steady_clock::duration;

  // A cache hit: `info` is null for a negative entry (the object did not exist).
  struct Hit {
    std::shared_ptr<const swift::ObjectInfo> info;
    bool exists() const { return info != nullptr; }
  };

  MetadataCache(Clock& clock, Counters& counters, size_t max_entries);

  // The unexpired entry for `key`, or nullopt (counted as a cache miss).
  std::optional<Hit> Get(const std::string& key);
  // Stores HEAD's answer for `ttl`; a ttl of zero stores nothing.
  void PutObject(const std::string& key, std::shared_ptr<const swift::ObjectInfo> info,
                 Duration ttl);
  // Remembers that `key` does not exist, for `ttl`.
  void PutNegative(const std::string& key, Duration ttl);
  void Invalidate(const std::string& key);
  size_t size() const;

 private:
  struct Node {
    std::string key;
    std::shared_ptr<const swift::ObjectInfo> info;  // null: negative
    std::chrono::steady_clock::time_point expiry;
  };
  void PutLocked(const std::string& key, std::shared_ptr<const swift::ObjectInfo> info,
                 Duration ttl) REQUIRES(mu_);

  Clock& clock_;
  Counters& counters_;
  const size_t max_entries_;
  mutable Mutex mu_;
  std::list<Node> lru_ GUARDED_BY(mu_);  // most recently used first
  std::unordered_map<std::string, std::list<Node>::iterator> index_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::cache
