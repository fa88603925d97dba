#include "swiftfs/cache/simple_file_reader.h"

#include <algorithm>
#include <cstring>

#include "swiftfs/cache/read_exactly.h"

namespace swiftfs::cache {

SimpleFileReader::SimpleFileReader(swift::ObjectClient& client, ObjectVersion version,
                                   SimpleReaderOptions options)
    : client_(client), version_(std::move(version)), options_(options) {}

Result<size_t> SimpleFileReader::Fetch(uint64_t offset, std::span<char> buffer,
                                       const std::atomic<bool>* cancel) {
  return ReadExactly(client_, version_, offset, buffer, swift::ReadControl{cancel, {}});
}

size_t SimpleFileReader::CopyFromBuffered(uint64_t offset, std::span<char> buffer) {
  if (!buffered_ || offset < buffered_offset_ || offset >= buffered_offset_ + buffered_->size()) {
    return 0;
  }
  const size_t start = offset - buffered_offset_;
  const size_t n = std::min(buffer.size(), buffered_->size() - start);
  std::memcpy(buffer.data(), buffered_->data() + start, n);
  return n;
}

Result<size_t> SimpleFileReader::Read(uint64_t offset, std::span<char> buffer,
                                      const std::atomic<bool>* cancel) {
  if (offset >= version_.size || buffer.empty()) return size_t{0};
  buffer = buffer.first(std::min<uint64_t>(buffer.size(), version_.size - offset));

  bool sequential;
  size_t done;
  {
    MutexLock lock(mu_);
    done = CopyFromBuffered(offset, buffer);
    sequential = offset + done == next_sequential_ || offset == 0;
    next_sequential_ = offset + done;
  }
  if (done == buffer.size()) return done;

  const uint64_t at = offset + done;
  std::span<char> rest = buffer.subspan(done);
  if (!sequential || options_.read_ahead <= rest.size()) {
    auto got = Fetch(at, rest, cancel);  // exact size, straight into the caller's buffer
    if (!got) return std::move(got).error();
    MutexLock lock(mu_);
    next_sequential_ = at + *got;
    return done + *got;
  }

  // Sequential: fetch a read-ahead block, serve this read from it, keep the rest.
  const uint64_t block = std::min<uint64_t>(options_.read_ahead, version_.size - at);
  auto data = std::make_shared<std::vector<char>>(block);
  auto got = Fetch(at, *data, cancel);
  if (!got) return std::move(got).error();
  data->resize(*got);
  const size_t n = std::min(rest.size(), data->size());
  std::memcpy(rest.data(), data->data(), n);
  MutexLock lock(mu_);
  buffered_ = std::move(data);
  buffered_offset_ = at;
  next_sequential_ = at + n;
  return done + n;
}

SimpleFileReaderFactory::SimpleFileReaderFactory(swift::ObjectClient& client,
                                                 SimpleReaderOptions options)
    : client_(client), options_(options) {}

std::unique_ptr<FileReader> SimpleFileReaderFactory::Open(const ObjectVersion& version) {
  return std::make_unique<SimpleFileReader>(client_, version, options_);
}

}  // namespace swiftfs::cache
