#pragma once
// PrefetchReader: the FileReader of one open file under the Prefetcher (design in
// include/swiftfs/cache/prefetcher.h).
//
// Under mu_ a read only plans: it decides whether it continues the stream, drops parts the
// stream has passed, schedules new parts up to read end + window, and picks the parts that
// cover it. Then, with no reader lock held, it submits the new parts, waits for the covering
// ones in order, and collects slices of their buffers. Read copies the slices into the
// caller's buffer; ReadInPlace hands them out as they are (the usual case in a stream).
// Whatever no part covers is read with one direct GET into the caller's buffer.
// Concurrent reads on one handle plan one at a time and wait and collect in parallel.
//
// INVARIANT: parts_ is sorted by offset and contiguous: parts_[i+1].offset == parts_[i].end.
//
// Lock order: PrefetchReader::mu_ -> Part::mu_. ThreadPool::mu_ is never taken while
// holding either (parts are submitted after mu_ is released).

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "cache/prefetch/buffer_pool.h"
#include "cache/prefetch/part.h"
#include "cache/prefetch/thread_pool.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/prefetch_memory_budget.h"
#include "swiftfs/cache/prefetcher.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

// What all readers of one Prefetcher share. Member order matters: the pool is destroyed
// (joined) before the buffers and the budget its dropped tasks return memory to.
struct PrefetchContext {
  PrefetchContext(swift::ObjectClient& c, Counters& n, PrefetchOptions o)
      : client(c),
        counters(n),
        options(o),
        budget(o.memory_budget),
        buffers(o.part_size, o.threads),
        pool(o.threads),
        tree_pool(o.tree_files > 0 ? std::make_unique<ThreadPool>(o.tree_threads) : nullptr) {}

  swift::ObjectClient& client;
  Counters& counters;
  const PrefetchOptions options;
  MemoryBudget budget;
  BufferPool buffers;  // one part per thread in flight is what a stream keeps recycling
  ThreadPool pool;
  // Read-ahead across files (tree_read_ahead.h) on threads of its own, so that a stream's
  // large parts never hold up the small files of a walk; null when it is off.
  std::unique_ptr<ThreadPool> tree_pool;
};

class PrefetchReader final : public FileReader {
 public:
  PrefetchReader(const ObjectVersion& version, PrefetchContext& context);
  // A reader whose first part, `whole`, covers the whole object and was fetched ahead (or
  // is being fetched) as exactly `version`: read across files (tree_read_ahead.h).
  PrefetchReader(const ObjectVersion& version, PrefetchContext& context,
                 std::shared_ptr<Part> whole);
  ~PrefetchReader() override;  // cancels every part
  PrefetchReader(const PrefetchReader&) = delete;
  PrefetchReader& operator=(const PrefetchReader&) = delete;

  Result<size_t> Read(uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* cancel = nullptr) override;
  // The bytes straight from the prefetched parts when they hold all of them (the view owns
  // the parts); otherwise copied, with what no part covers read directly.
  Result<ReadView> ReadInPlace(uint64_t offset, size_t size,
                               const std::atomic<bool>* cancel = nullptr) override;
  // Parts are scheduled up to `end` at most (the disk cache holds what follows).
  void LimitReadAhead(uint64_t end) override;

 private:
  using PartList = std::vector<std::shared_ptr<Part>>;

  // Under mu_: updates the stream state for a read of [offset, end); returns the parts that
  // cover the read (in order) and adds the parts to submit to `to_submit`.
  PartList Plan(uint64_t offset, uint64_t end, PartList& to_submit);
  bool ContinuesStreamLocked(uint64_t offset) const REQUIRES(mu_);
  void DropPassedPartsLocked(uint64_t offset) REQUIRES(mu_);
  void DropBrokenPartsLocked() REQUIRES(mu_);
  void ScheduleLocked(uint64_t offset, uint64_t end, PartList& to_submit) REQUIRES(mu_);
  void CancelAllLocked() REQUIRES(mu_);

  // Plans a read of [offset, end), submits the parts it scheduled, and returns the parts
  // that cover the read.
  PartList PlanAndSubmit(uint64_t offset, uint64_t end);

  // What the parts in `covering` hold of [offset, end), in order, as slices of their
  // buffers: stops at a gap, a cancelled or failed part, or the version's size (then
  // `at_end` is set: only the size says where the file ends, never a short part). An
  // error when the read must fail (the object changed, or `control.cancel` was set).
  struct Collected {
    std::vector<std::span<const char>> pieces;
    uint64_t bytes = 0;
    bool at_end = false;
  };
  Result<Collected> CollectFromParts(uint64_t offset, uint64_t end, const PartList& covering,
                                     const swift::ReadControl& control);

  // Copies `collected` into the front of `buffer` and reads the rest of it with one direct
  // GET unless the object ended; returns the bytes in `buffer`.
  Result<size_t> CompleteInto(uint64_t offset, std::span<char> buffer, const Collected& collected,
                              const swift::ReadControl& control);

  const std::shared_ptr<const ObjectVersion> version_;
  PrefetchContext& context_;

  Mutex mu_;
  uint64_t read_ahead_end_ GUARDED_BY(mu_) = UINT64_MAX;  // LimitReadAhead
  uint64_t stream_end_ GUARDED_BY(mu_) = 0;               // end of the furthest read of the stream
  uint32_t stream_reads_ GUARDED_BY(mu_) = 0;             // reads in the current stream
  uint64_t window_ GUARDED_BY(mu_);                       // read-ahead beyond the read's end
  uint64_t grown_through_ GUARDED_BY(mu_) = 0;            // end of the last part that grew window_
  std::deque<std::shared_ptr<Part>> parts_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::cache
