#pragma once
// Part: one ranged GET of a prefetched range into its own buffer. The reader that scheduled
// it and the pool task fetching it share it (shared_ptr), so a reader may drop a part
// (seek, close) while its GET is still on the wire: the task finishes into a buffer that is
// still alive and then frees it.
//
// States: kQueued -> kFetching -> kDone | kFailed; kQueued or kFetching -> kCancelled.
// The buffer is written only by the fetching task, before kDone is published under mu_,
// and never changes afterwards, so readers copy from it without holding the lock.
// The memory reservation is returned when the part is cancelled (at once if it had not
// started, at the end of its GET otherwise) or destroyed.
//
// Lock order: PrefetchReader::mu_ before Part::mu_; nothing is locked inside Part::mu_
// (MemoryBudget is lock-free).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

#include "cache/prefetch/buffer_pool.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/prefetch_memory_budget.h"
#include "swiftfs/common/error.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

class Part {
 public:
  enum class State { kQueued, kFetching, kDone, kFailed, kCancelled };

  Part(uint64_t offset, uint64_t length, MemoryBudget::Reservation reservation)
      : offset_(offset), length_(length), reservation_(std::move(reservation)) {}
  Part(const Part&) = delete;
  Part& operator=(const Part&) = delete;

  uint64_t offset() const { return offset_; }
  uint64_t length() const { return length_; }
  uint64_t end() const { return offset_ + length_; }

  // The GET of [offset, end) with If-Match, into a buffer from `buffers`, unless cancelled
  // or already started (kQueued -> kFetching claims it): runs on a pool thread, or on a
  // reader's thread that needs the part before the pool got to it. No lock is held
  // during the GET.
  // `control` is the claiming reader's (its interrupt aborts the GET, failing the part).
  void Fetch(swift::ObjectClient& client, const ObjectVersion& version, BufferPool& buffers,
             const swift::ReadControl& control = {});

  // A part not started never starts; one in flight is discarded when it completes. Waiters
  // wake with kCancelled. A part already done or failed is left as it is. Returns the
  // state the part was in.
  State Cancel();

  // The current state, without waiting.
  State state() const;

  // Blocks until the part is done, failed or cancelled, or until `cancel` (a reader's
  // interrupt) is set; returns the part's state then.
  State Wait(const std::atomic<bool>* cancel = nullptr);

  // After Wait() returned kDone: the bytes fetched, fewer than length() only when the
  // version's size ends inside the part (parts are scheduled within it, so never).
  std::span<const char> data() const { return {buffer_.data(), fetched_}; }

  // After Wait() returned kDone: the object headers of the part's first reply, when they
  // parsed (ReadResult::info): a lookup uses them instead of a HEAD.
  const std::optional<swift::ObjectInfo>& info() const { return info_; }

  // After Wait() returned kFailed: why.
  const Error& error() const { return error_; }

 private:
  const uint64_t offset_;
  const uint64_t length_;

  mutable Mutex mu_;
  std::condition_variable finished_cv_;
  State state_ GUARDED_BY(mu_) = State::kQueued;
  MemoryBudget::Reservation reservation_ GUARDED_BY(mu_);
  // Written by Fetch() while kFetching (no lock: nobody else reads it before kDone).
  BufferPool::Buffer buffer_;
  size_t fetched_ = 0;
  std::optional<swift::ObjectInfo> info_;  // written by Fetch() like buffer_
  Error error_;                            // written before kFailed is published
};

}  // namespace swiftfs::cache
