#pragma once
// SimpleFileReader: the baseline FileReader. Each read is a ranged GET with If-Match on
// the version's etag; a read that continues where the previous one ended (a sequential
// stream) fetches `read_ahead` bytes at once into a per-handle buffer that serves the
// following reads, so `cat` of a small file costs one GET and a large one one GET per
// read_ahead bytes. Random reads go straight into the caller's buffer, exact size.
// Reads at or past the end of the object cost no request. The Prefetcher
// (prefetcher.h) replaces it for fast parallel streaming.
//
// Thread-safety: Read() may be called concurrently on one reader; the buffer mutex is a
// leaf lock and is never held across a GET.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "swiftfs/cache/file_reader.h"
#include "swiftfs/swift/object_client.h"

#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

struct SimpleReaderOptions {
  uint64_t read_ahead = uint64_t{1024} * 1024;  // bytes fetched per GET by a sequential reader
};

class SimpleFileReader final : public FileReader {
 public:
  SimpleFileReader(swift::ObjectClient& client, ObjectVersion version, SimpleReaderOptions options);

  // See FileReader::Read. Errors of the GET are returned as they are (kPreconditionFailed
  // when the object changed since the version was taken).
  Result<size_t> Read(uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* cancel = nullptr) override;

 private:
  // Fills `buffer` from `offset` with as many GETs as it takes (ReadExactly); stops early
  // only at the version's size.
  Result<size_t> Fetch(uint64_t offset, std::span<char> buffer, const std::atomic<bool>* cancel);
  // Copies what the read-ahead buffer holds of [offset, offset + buffer.size()); 0 if none.
  size_t CopyFromBuffered(uint64_t offset, std::span<char> buffer) REQUIRES(mu_);

  swift::ObjectClient& client_;
  const ObjectVersion version_;
  const SimpleReaderOptions options_;
  Mutex mu_;
  uint64_t next_sequential_ GUARDED_BY(mu_) = 0;  // where a sequential read would start
  uint64_t buffered_offset_ GUARDED_BY(mu_) = 0;
  std::shared_ptr<const std::vector<char>> buffered_ GUARDED_BY(mu_);
};

class SimpleFileReaderFactory final : public FileReaderFactory {
 public:
  explicit SimpleFileReaderFactory(swift::ObjectClient& client, SimpleReaderOptions options = {});
  std::unique_ptr<FileReader> Open(const ObjectVersion& version) override;

 private:
  swift::ObjectClient& client_;
  const SimpleReaderOptions options_;
};

}  // namespace swiftfs::cache
