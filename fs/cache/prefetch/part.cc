#include "cache/prefetch/part.h"

#include "swiftfs/cache/read_exactly.h"

namespace swiftfs::cache {

void Part::Fetch(swift::ObjectClient& client, const ObjectVersion& version, BufferPool& buffers,
                 const swift::ReadControl& control) {
  {
    MutexLock lock(mu_);
    if (state_ != State::kQueued) return;  // cancelled before it started
    state_ = State::kFetching;
  }
  BufferPool::Buffer buffer = buffers.Take(length_);
  // Exactly the part's range: a short reply is completed or fails the part, so a part
  // never looks like the end of the file.
  Result<size_t> result = ReadExactly(client, version, offset_,
                                      std::span<char>(buffer.data(), length_), control, &info_);

  MutexLock lock(mu_);
  if (state_ == State::kCancelled) {
    reservation_.Reset();
    lock.unlock();
    return;  // `buffer` goes back here, outside the lock
  }
  if (result) {
    buffer_ = std::move(buffer);
    fetched_ = *result;
    state_ = State::kDone;
  } else {
    error_ = std::move(result).error();
    reservation_.Reset();
    state_ = State::kFailed;
  }
  lock.unlock();
  finished_cv_.notify_all();
}

Part::State Part::Cancel() {
  State was;
  {
    MutexLock lock(mu_);
    was = state_;
    if (state_ == State::kQueued) {
      reservation_.Reset();
    } else if (state_ != State::kFetching) {
      return was;  // done, failed or already cancelled
    }
    state_ = State::kCancelled;
  }
  finished_cv_.notify_all();
  return was;
}

Part::State Part::state() const {
  MutexLock lock(mu_);
  return state_;
}

Part::State Part::Wait(const std::atomic<bool>* cancel) {
  MutexLock lock(mu_);
  auto finished = [this]() REQUIRES(mu_) {
    return state_ != State::kQueued && state_ != State::kFetching;
  };
  if (cancel == nullptr) {
    lock.Wait(finished_cv_, finished);
    return state_;
  }
  // Whoever sets the flag (a FUSE interrupt callback) cannot know which part to notify,
  // so the wait looks at it a few times a second.
  while (!finished() && !cancel->load(std::memory_order_relaxed)) {
    lock.WaitFor(finished_cv_, std::chrono::milliseconds(50));
  }
  return state_;
}

}  // namespace swiftfs::cache
