#include "cache/disk/block_file_writer.h"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace swiftfs::cache {
namespace {

// Buffers kept for reuse: the cache's writer threads and a synchronous store or two.
constexpr size_t kKeptBuffers = 4;

size_t RoundUp(size_t bytes) {
  return (bytes + kDataAlignment - 1) / kDataAlignment * kDataAlignment;
}

bool IsAligned(const char* p) { return reinterpret_cast<uintptr_t>(p) % kDataAlignment == 0; }

// pwritev of `parts` whole from file offset 0, resumed after short writes (a full disk);
// 0 or an errno. After a short O_DIRECT write the offset is unaligned, and the next write
// fails with EINVAL: that is reported as EIO, so that it is not taken for a refusal of
// O_DIRECT itself.
int WriteAll(int fd, std::span<const iovec> parts, bool direct) {
  size_t total = 0;
  for (const iovec& part : parts) total += part.iov_len;
  size_t done = 0;
  while (done < total) {
    std::array<iovec, 3> rest{};
    int count = 0;
    size_t skip = done;
    for (const iovec& part : parts) {
      if (skip >= part.iov_len) {
        skip -= part.iov_len;
        continue;
      }
      rest.at(count++) = {static_cast<char*>(part.iov_base) + skip, part.iov_len - skip};
      skip = 0;
    }
    const ssize_t n = pwritev(fd, rest.data(), count, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return done > 0 && direct && errno == EINVAL ? EIO : errno;
    if (n == 0) return EIO;
    done += static_cast<size_t>(n);
  }
  return 0;
}

Status WriteFailed(const std::string& path, int error) {
  unlink(path.c_str());
  return MakeError(ErrorCode::kInternal, "cannot write " + path + ": " + ErrnoText(error));
}

}  // namespace

int BlockFileWriter::OpenWithSyscall(const char* path, int flags, mode_t mode) {
  return open(path, flags, mode);
}

Status BlockFileWriter::Write(const std::string& path, const BlockKey& key, uint64_t index,
                              std::span<const char> data, uint32_t crc) {
  const std::string header = EncodeBlockHeader(key, index, static_cast<uint32_t>(data.size()), crc);
  const size_t data_offset = BlockDataOffset(key.encoded().size(), data.size());
  if (data.size() >= kAlignedDataMin && direct()) {
    return WriteDirect(path, header, data, data_offset);
  }
  return WriteBuffered(path, header, data);
}

Status BlockFileWriter::WriteDirect(const std::string& path, const std::string& header,
                                    std::span<const char> data, size_t data_offset) {
  const size_t file_size = data_offset + data.size();
  const bool in_place = IsAligned(data.data()) && data.size() % kDataAlignment == 0;
  const size_t image_size = in_place ? data_offset : RoundUp(file_size);
  AlignedBuffer buffer = TakeBuffer(image_size);
  if (!buffer.data) return WriteBuffered(path, header, data);  // no memory for an aligned copy
  const std::span<char> image(buffer.data.get(), image_size);
  std::memcpy(image.data(), header.data(), header.size());
  std::memset(image.data() + header.size(), 0, data_offset - header.size());
  if (!in_place) {
    std::memcpy(image.data() + data_offset, data.data(), data.size());
    std::memset(image.data() + file_size, 0, image.size() - file_size);
  }

  int error = 0;
  const int fd =
      open_file_(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_DIRECT, 0600);
  if (fd < 0) {
    error = errno;
  } else {
    error = in_place ? WriteInPlace(fd, image, data) : WriteImage(fd, image, file_size);
    if (close(fd) != 0 && error == 0) error = errno;
  }
  if (in_place && error == 0) in_place_writes_.fetch_add(1, std::memory_order_relaxed);
  ReturnBuffer(std::move(buffer));
  if (error == EINVAL) {
    // This file system does not take O_DIRECT (or not with this alignment): from now on
    // every block goes through the page cache.
    direct_.store(false, std::memory_order_relaxed);
    return WriteBuffered(path, header, data);
  }
  if (error != 0) return WriteFailed(path, error);
  return OkStatus();
}

int BlockFileWriter::WriteImage(int fd, std::span<const char> image, size_t file_size) {
  const std::array<iovec, 1> whole = {iovec{const_cast<char*>(image.data()), image.size()}};
  if (const int error = WriteAll(fd, whole, /*direct=*/true); error != 0) return error;
  if (image.size() != file_size && ftruncate(fd, static_cast<off_t>(file_size)) != 0) {
    return errno == EINVAL ? EIO : errno;
  }
  return 0;
}

int BlockFileWriter::WriteInPlace(int fd, std::span<const char> head, std::span<const char> data) {
  const std::array<iovec, 2> parts = {iovec{const_cast<char*>(head.data()), head.size()},
                                      iovec{const_cast<char*>(data.data()), data.size()}};
  return WriteAll(fd, parts, /*direct=*/true);
}

Status BlockFileWriter::WriteBuffered(const std::string& path, const std::string& header,
                                      std::span<const char> data) const {
  static constexpr std::array<char, kDataAlignment> kZeros{};
  const size_t pad = BlockDataOffset(header.size() - kBlockHeaderSize, data.size()) - header.size();
  const int fd = open_file_(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return MakeError(ErrorCode::kInternal, "cannot create " + path + ": " + ErrnoText(errno));
  const iovec parts[3] = {{const_cast<char*>(header.data()), header.size()},
                          {const_cast<char*>(kZeros.data()), pad},
                          {const_cast<char*>(data.data()), data.size()}};
  int error = WriteAll(fd, parts, /*direct=*/false);
  if (close(fd) != 0 && error == 0) error = errno;
  if (error != 0) return WriteFailed(path, error);
  return OkStatus();
}

BlockFileWriter::AlignedBuffer BlockFileWriter::TakeBuffer(size_t size) {
  {
    MutexLock lock(mu_);
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->capacity >= size) {
        AlignedBuffer buffer = std::move(*it);
        free_.erase(it);
        return buffer;
      }
    }
  }
  AlignedBuffer buffer;
  buffer.data.reset(static_cast<char*>(std::aligned_alloc(kDataAlignment, size)));
  if (buffer.data) buffer.capacity = size;
  return buffer;
}

void BlockFileWriter::ReturnBuffer(AlignedBuffer buffer) {
  MutexLock lock(mu_);
  if (free_.size() < kKeptBuffers) {
    free_.push_back(std::move(buffer));
  } else {
    // The smallest goes: the pool keeps the sizes of the largest blocks it sees.
    auto smallest = free_.begin();
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->capacity < smallest->capacity) smallest = it;
    }
    if (smallest->capacity < buffer.capacity) *smallest = std::move(buffer);
  }
}

}  // namespace swiftfs::cache
