#pragma once
// SharedSpace: room in a local store that another component's data may take, so that two
// users of one directory share one space budget and one eviction policy. The disk cache
// is one (DiskCache): the staging area of files being written, when it lives under
// cache_dir, takes its bytes from the cache's cap, and the cache evicts blocks to make
// room. What is taken is never evicted: it counts until given back.
//
// Thread-safe.

#include <cstdint>

namespace swiftfs::cache {

class SharedSpace {
 public:
  virtual ~SharedSpace() = default;
  // Counts `bytes` more against the store's cap, making room first (evicting what the
  // store may evict); false, and nothing taken, when that is not possible.
  virtual bool Take(uint64_t bytes) = 0;
  // Gives back `bytes` taken earlier.
  virtual void Give(uint64_t bytes) = 0;
};

}  // namespace swiftfs::cache
