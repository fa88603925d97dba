#include "cache/prefetch/part.h"

namespace swiftfs::cache {

void Part::Fetch(swift::ObjectClient& client, const ObjectVersion& version, BufferPool& buffers) {
  {
    MutexLock lock(mu_);
    if (state_ != State::kQueued) return;  // cancelled before it started
    state_ = State::kFetching;
  }
  BufferPool::Buffer buffer = buffers.Take(length_);
  Result<swift::ReadResult> result =
      client.GetRange(version.container, version.name, offset_,
                      std::span<char>(buffer.data(), length_), version.etag);

  MutexLock lock(mu_);
  if (state_ == State::kCancelled) {
    reservation_.Reset();
    lock.unlock();
    return;  // `buffer` goes back here, outside the lock
  }
  if (result) {
    buffer_ = std::move(buffer);
    fetched_ = result->bytes;
    state_ = State::kDone;
  } else {
    error_ = std::move(result).error();
    reservation_.Reset();
    state_ = State::kFailed;
  }
  lock.unlock();
  finished_cv_.notify_all();
}

void Part::Cancel() {
  {
    MutexLock lock(mu_);
    if (state_ == State::kQueued) {
      reservation_.Reset();
    } else if (state_ != State::kFetching) {
      return;  // done, failed or already cancelled
    }
    state_ = State::kCancelled;
  }
  finished_cv_.notify_all();
}

Part::State Part::state() const {
  MutexLock lock(mu_);
  return state_;
}

Part::State Part::Wait() {
  MutexLock lock(mu_);
  lock.Wait(finished_cv_, [this]() REQUIRES(mu_) {
    return state_ != State::kQueued && state_ != State::kFetching;
  });
  return state_;
}

}  // namespace swiftfs::cache
