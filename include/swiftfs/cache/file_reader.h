#pragma once
// FileReader: reads one version (etag) of one object for one open file handle. The core
// creates one per open(); implementations decide how much to fetch ahead.
// SimpleFileReader does exact-size ranged GETs with a small read-ahead;
// the Prefetcher (prefetcher.h) detects sequential streams and fetches ahead in parallel.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

struct ObjectVersion {
  std::string container;
  std::string name;
  std::string etag;  // every ranged GET carries If-Match: etag (when not empty)
  uint64_t size = 0;
};

class FileReader {
 public:
  virtual ~FileReader() = default;
  // Reads up to buffer.size() bytes at `offset`; short only at end of object.
  // kPreconditionFailed when the object no longer matches the etag. Thread-safe.
  virtual Result<size_t> Read(uint64_t offset, std::span<char> buffer) = 0;
};

class FileReaderFactory {
 public:
  virtual ~FileReaderFactory() = default;
  virtual std::unique_ptr<FileReader> Open(const ObjectVersion& version) = 0;
};

}  // namespace swiftfs::cache
