#include "cache/prefetch/buffer_pool.h"

#include <utility>

namespace swiftfs::cache {

BufferPool::Buffer& BufferPool::Buffer::operator=(Buffer&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    bytes_ = std::move(other.bytes_);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

BufferPool::Buffer::~Buffer() { Release(); }

void BufferPool::Buffer::Release() {
  if (pool_ && bytes_) pool_->Give(std::move(bytes_), size_);
  bytes_.reset();
  pool_ = nullptr;
  size_ = 0;
}

BufferPool::Buffer BufferPool::Take(size_t size) {
  if (size == buffer_size_) {
    Bytes reused;
    {
      MutexLock lock(mu_);
      if (!kept_.empty()) {
        reused = std::move(kept_.back());
        kept_.pop_back();
      }
    }
    if (reused) return Buffer(this, std::move(reused), size);
  }
  return Buffer(this, Allocate(size), size);
}

BufferPool::Bytes BufferPool::Allocate(size_t size) {
  // Uninitialised: no point zeroing megabytes the GET overwrites.
  return Bytes(static_cast<char*>(::operator new[](size, std::align_val_t{kAlignment})));
}

void BufferPool::Give(Bytes bytes, size_t size) {
  if (size == buffer_size_) {
    MutexLock lock(mu_);
    if (users_ > 0 && kept_.size() < max_kept_) {
      kept_.push_back(std::move(bytes));
      return;
    }
  }
  // `bytes` is freed here, outside the lock.
}

void BufferPool::AddUser() {
  MutexLock lock(mu_);
  ++users_;
}

void BufferPool::RemoveUser() {
  std::vector<Bytes> freed;  // freed after the lock
  MutexLock lock(mu_);
  if (users_ > 0) --users_;
  if (users_ == 0) freed.swap(kept_);
}

size_t BufferPool::kept() const {
  MutexLock lock(mu_);
  return kept_.size();
}

}  // namespace swiftfs::cache
