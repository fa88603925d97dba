#pragma once
// MemoryBudget: one byte budget shared by every open file's prefetched parts, so the daemon's
// memory stays bounded however many files are read at once. Acquiring never blocks: a
// reader that cannot get memory for read-ahead reads the exact range it was asked for
// instead (slower, never stuck behind another file's prefetch).
//
// Reservation is a move-only RAII holder; its destructor returns the bytes. Thread-safe:
// a lock-free counter, so it is a leaf in every lock order.

#include <atomic>
#include <cstdint>
#include <utility>

namespace swiftfs::cache {

class MemoryBudget {
 public:
  class Reservation;

  explicit MemoryBudget(uint64_t limit_bytes) : limit_(limit_bytes) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Reserves `bytes` if the total stays within the limit; an empty Reservation otherwise.
  Reservation TryReserve(uint64_t bytes);

  uint64_t limit() const { return limit_; }
  uint64_t in_use() const { return in_use_.load(std::memory_order_relaxed); }
  // Highest in_use() ever observed, for tests and the benchmark.
  uint64_t peak() const { return peak_.load(std::memory_order_relaxed); }

 private:
  void Release(uint64_t bytes) { in_use_.fetch_sub(bytes, std::memory_order_relaxed); }

  const uint64_t limit_;
  std::atomic<uint64_t> in_use_{0};
  std::atomic<uint64_t> peak_{0};
};

class MemoryBudget::Reservation {
 public:
  Reservation() = default;
  Reservation(Reservation&& other) noexcept
      : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
  Reservation& operator=(Reservation&& other) noexcept {
    if (this != &other) {
      Reset();
      budget_ = std::exchange(other.budget_, nullptr);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  ~Reservation() { Reset(); }

  explicit operator bool() const { return budget_ != nullptr; }
  uint64_t bytes() const { return bytes_; }

  // Returns the bytes to the budget now; the reservation becomes empty.
  void Reset() {
    if (budget_ != nullptr) budget_->Release(bytes_);
    budget_ = nullptr;
    bytes_ = 0;
  }

 private:
  friend class MemoryBudget;
  Reservation(MemoryBudget* budget, uint64_t bytes) : budget_(budget), bytes_(bytes) {}

  MemoryBudget* budget_ = nullptr;
  uint64_t bytes_ = 0;
};

inline MemoryBudget::Reservation MemoryBudget::TryReserve(uint64_t bytes) {
  uint64_t current = in_use_.load(std::memory_order_relaxed);
  do {
    if (bytes > limit_ || current > limit_ - bytes) return Reservation();
  } while (!in_use_.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed));
  uint64_t now = current + bytes;
  uint64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return Reservation(this, bytes);
}

}  // namespace swiftfs::cache
