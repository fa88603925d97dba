#pragma once
// Counters: process-wide operation counts that the benchmark, tests and the debug log read.
// One instance is created by the composition root and passed down by reference; every
// field is a relaxed atomic, so incrementing on hot paths costs one uncontended add.

#include <atomic>
#include <cstdint>
#include <string>

namespace swiftfs {

enum class Counter {
  kAuthRequests,   // token requests sent to the identity service
  kHeadRequests,   // HEAD object/container/account
  kListRequests,   // container and account listings (pages)
  kGetRequests,    // ranged GETs of object data
  kOtherRequests,  // /info and anything else
  kRetries,        // requests sent again after a retryable failure
  kBytesFetched,   // object bytes received from Swift
  kBytesServed,    // bytes returned to read() callers
  kMetadataCacheHits,
  kMetadataCacheMisses,
  kPrefetchHits,  // reads served from prefetched data
  // Disk cache (-o cache_dir=): blocks served from disk, blocks looked up and absent,
  // blocks written, blocks evicted, blocks dropped as corrupt; its size in bytes (a gauge).
  kDiskCacheHits,
  kDiskCacheMisses,
  kDiskCacheWrites,
  kDiskCacheEvictions,
  kDiskCacheCorrupt,
  kDiskCacheBytes,
  // Read-ahead across files (a directory walked in listing order): files fetched ahead,
  // those handed to an open of exactly that version, and bytes fetched ahead for nothing.
  kTreeReadAheadFiles,
  kTreeReadAheadHits,
  kTreeReadAheadWastedBytes,
  // Lookups of small files answered by a GET of the whole object instead of a HEAD, and
  // those whose bytes an open then took (FileReaderFactory::FetchForLookup).
  kLookupGets,
  kLookupGetHits,
  // Small files a stat pass fetched whole into the disk cache instead of a HEAD
  // (-o fetch_on_stat; FileReaderFactory::FetchToStore).
  kStatFetches,
  // Writes.
  kPutRequests,     // object, manifest and container PUTs (a copy is kCopyRequests)
  kDeleteRequests,  // object and container DELETEs
  kCopyRequests,    // server-side copies (PUT with X-Copy-From)
  kPostRequests,    // metadata POSTs
  kBytesUploaded,   // object bytes sent to Swift (each attempt, like the request counts)
  kCount_,          // number of counters, keep last
};

class Counters {
 public:
  void Add(Counter c, uint64_t n = 1) {
    values_[static_cast<int>(c)].fetch_add(n, std::memory_order_relaxed);
  }
  // For gauges (kDiskCacheBytes): the current value rather than a count.
  void Set(Counter c, uint64_t value) {
    values_[static_cast<int>(c)].store(value, std::memory_order_relaxed);
  }
  uint64_t Get(Counter c) const {
    return values_[static_cast<int>(c)].load(std::memory_order_relaxed);
  }
  // "auth_requests=1 head_requests=3 ..." for the log and the stats file.
  std::string ToString() const;

 private:
  std::atomic<uint64_t> values_[static_cast<int>(Counter::kCount_)]{};
};

}  // namespace swiftfs
