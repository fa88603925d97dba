#pragma once
// BlockFileWriter: writes one block file (block_file.h) to a path, whole or not at all.
//
// Why O_DIRECT: a first read with the cache on writes every byte it reads. Through the
// page cache each block costs a copy into freshly allocated page-cache pages, and on the
// 2-core test machine, where the Swift servers share the CPU, that copy alone took about
// 0.9 CPU-seconds per GiB and slowed the first read by a quarter. Written with O_DIRECT
// from an aligned buffer, the device takes the bytes from that buffer. Blocks of
// kAlignedDataMin bytes or more are written so (their data starts at an aligned offset);
// smaller ones, and every block on a file system that refuses O_DIRECT (EINVAL: some FUSE
// and network file systems, tmpfs before Linux 6.6), go through the page cache as before.
//
// In place: data that already lies at an aligned address, a whole number of aligned units
// long (a block within a prefetched part, whose buffers are aligned: BufferPool), is
// written from where it is, after the header from a small aligned buffer, in one pwritev:
// no copy at all. Other data is copied into an aligned image of the whole file first.
//
// Not fsync'ed either way: a block lost or torn by a power failure fails its checksum and
// is refetched.
//
// Thread-safe: the writer threads and synchronous stores share one instance; each write
// takes an aligned buffer from a small pool (one per concurrent writer is kept).

#include <sys/types.h>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cache/disk/block_file.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class BlockFileWriter {
 public:
  // How a block file is opened: open(2), unless a test stands in (a file system refusing
  // O_DIRECT).
  using OpenFile = int (*)(const char* path, int flags, mode_t mode);
  static int OpenWithSyscall(const char* path, int flags, mode_t mode);

  // `try_direct` false: every block through the page cache (tests of that path).
  explicit BlockFileWriter(bool try_direct = true, OpenFile open_file = &OpenWithSyscall)
      : open_file_(open_file), direct_(try_direct) {}

  // Writes the file of block `index` of `key` holding `data` (checksum `crc`) at `path`,
  // created or truncated; on failure nothing is left at `path`.
  Status Write(const std::string& path, const BlockKey& key, uint64_t index,
               std::span<const char> data, uint32_t crc);

  // Whether O_DIRECT writes are still tried (false once the file system refused one).
  bool direct() const { return direct_.load(std::memory_order_relaxed); }
  // Blocks written in place, without a copy (tests).
  uint64_t in_place_writes() const { return in_place_writes_.load(std::memory_order_relaxed); }

 private:
  struct FreeDeleter {
    void operator()(char* p) const { std::free(p); }
  };
  struct AlignedBuffer {
    std::unique_ptr<char, FreeDeleter> data;
    size_t capacity = 0;
  };
  // A buffer of at least `size` bytes aligned to kDataAlignment, from the pool if one fits;
  // a null one when memory is short.
  AlignedBuffer TakeBuffer(size_t size);
  void ReturnBuffer(AlignedBuffer buffer);
  // Writes `image` (the whole file, padded to a multiple of kDataAlignment) to the
  // O_DIRECT `fd` and cuts the file to `file_size`; 0 or an errno.
  static int WriteImage(int fd, std::span<const char> image, size_t file_size);
  // Writes `head` (header, key and zeros, aligned) then `data` (aligned, in place) to the
  // O_DIRECT `fd`; 0 or an errno.
  static int WriteInPlace(int fd, std::span<const char> head, std::span<const char> data);
  Status WriteDirect(const std::string& path, const std::string& header, std::span<const char> data,
                     size_t data_offset);
  Status WriteBuffered(const std::string& path, const std::string& header,
                       std::span<const char> data) const;

  const OpenFile open_file_;
  std::atomic<bool> direct_;
  std::atomic<uint64_t> in_place_writes_{0};
  Mutex mu_;
  std::vector<AlignedBuffer> free_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::cache
