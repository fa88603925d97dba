#pragma once
// BufferPool: recycles the buffers of prefetched parts.
//
// A part's buffer fresh from the allocator is a new mapping (16 MiB is far above malloc's
// mmap threshold): each of its pages faults in, zeroed, on the GET's first write, and the
// whole mapping is unmapped when the part is dropped. On a sequential read that was about a
// tenth of the daemon's CPU (perf: clear_page, page faults, unmapping). Buffers of exactly
// `buffer_size` bytes, the size of every part of a long stream, go back to the pool
// instead, up to `max_kept`, and the next part writes over one. Other sizes (a stream's
// first, smaller parts; an object's last) are allocated and freed as usual.
//
// Every buffer starts at a kAlignment boundary, so that the disk cache can write a block
// that lies in a part straight from it with O_DIRECT (block_file_writer.h), no copy.
//
// Idle mounts hold no part memory: while no reader uses the pool (AddUser/RemoveUser) it
// keeps nothing, and the last user leaving frees what it kept.
//
// Thread-safe; the mutex is a leaf lock (never held while allocating or freeing).

#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class BufferPool {
 public:
  static constexpr size_t kAlignment = 4096;

 private:
  struct AlignedDelete {
    void operator()(char* p) const { ::operator delete[](p, std::align_val_t{kAlignment}); }
  };
  using Bytes = std::unique_ptr<char[], AlignedDelete>;

 public:
  // A buffer that goes back to its pool (or is freed) when destroyed.
  class Buffer {
   public:
    Buffer() = default;
    Buffer(Buffer&&) noexcept = default;
    Buffer& operator=(Buffer&& other) noexcept;
    ~Buffer();

    char* data() const { return bytes_.get(); }
    size_t size() const { return size_; }

   private:
    friend class BufferPool;
    Buffer(BufferPool* pool, Bytes bytes, size_t size)
        : pool_(pool), bytes_(std::move(bytes)), size_(size) {}
    void Release();

    BufferPool* pool_ = nullptr;
    Bytes bytes_;
    size_t size_ = 0;
  };

  BufferPool(size_t buffer_size, size_t max_kept)
      : buffer_size_(buffer_size), max_kept_(max_kept) {}
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // A buffer of `size` bytes, uninitialised: a kept one when `size` is the pool's size.
  Buffer Take(size_t size);

  // Readers register while they may fetch; the pool keeps buffers only while one does.
  void AddUser();
  void RemoveUser();

  size_t kept() const;

 private:
  // `size` bytes at a kAlignment boundary, uninitialised.
  static Bytes Allocate(size_t size);
  void Give(Bytes bytes, size_t size);

  const size_t buffer_size_;
  const size_t max_kept_;
  mutable Mutex mu_;
  size_t users_ GUARDED_BY(mu_) = 0;
  std::vector<Bytes> kept_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::cache
