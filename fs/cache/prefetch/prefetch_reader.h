#pragma once
// PrefetchReader: the FileReader of one open file under the Prefetcher (design in
// include/swiftfs/cache/prefetcher.h).
//
// Under mu_ a read only plans: it decides whether it continues the stream, drops parts the
// stream has passed, schedules new parts up to read end + window, and picks the parts that
// cover it. Then, with no reader lock held, it submits the new parts, waits for the covering
// ones in order, copies from them, and reads whatever no part covers with one direct GET
// into the caller's buffer. Concurrent reads on one handle plan one at a time and wait and
// copy in parallel.
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

#include "cache/prefetch/part.h"
#include "cache/prefetch/thread_pool.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/prefetch_memory_budget.h"
#include "swiftfs/cache/prefetcher.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

// What all readers of one Prefetcher share. Member order matters: the pool is destroyed
// (joined) before the budget its dropped tasks return memory to.
struct PrefetchContext {
  PrefetchContext(swift::ObjectClient& c, Counters& n, PrefetchOptions o)
      : client(c), counters(n), options(o), budget(o.memory_budget), pool(o.threads) {}

  swift::ObjectClient& client;
  Counters& counters;
  const PrefetchOptions options;
  MemoryBudget budget;
  ThreadPool pool;
};

class PrefetchReader final : public FileReader {
 public:
  PrefetchReader(const ObjectVersion& version, PrefetchContext& context);
  ~PrefetchReader() override;  // cancels every part
  PrefetchReader(const PrefetchReader&) = delete;
  PrefetchReader& operator=(const PrefetchReader&) = delete;

  Result<size_t> Read(uint64_t offset, std::span<char> buffer) override;

 private:
  using PartList = std::vector<std::shared_ptr<Part>>;

  // Under mu_: updates the stream state for a read of [offset, end); returns the parts that
  // cover the read (in order) and adds the parts to submit to `to_submit`.
  PartList Plan(uint64_t offset, uint64_t end, PartList& to_submit);
  bool ContinuesStreamLocked(uint64_t offset) const;
  void DropPassedPartsLocked(uint64_t offset);
  void DropBrokenPartsLocked();
  void ScheduleLocked(uint64_t offset, uint64_t end, PartList& to_submit);
  void CancelAllLocked();

  // Copies [offset, offset + buffer.size()) from `covering`, in order. Returns the bytes
  // copied (stops at a gap, a cancelled or failed part, or the end of the object), or the
  // error that must fail the read. Sets `at_end` when the object ended.
  Result<size_t> CopyFromParts(uint64_t offset, std::span<char> buffer, const PartList& covering,
                               bool& at_end);

  const std::shared_ptr<const ObjectVersion> version_;
  PrefetchContext& context_;

  std::mutex mu_;
  uint64_t stream_end_ = 0;     // GUARDED_BY(mu_): end of the furthest read of the stream
  uint32_t stream_reads_ = 0;   // GUARDED_BY(mu_): reads in the current stream
  uint64_t window_;             // GUARDED_BY(mu_): read-ahead beyond the read's end
  uint64_t grown_through_ = 0;  // GUARDED_BY(mu_): end of the last part that grew window_
  std::deque<std::shared_ptr<Part>> parts_;  // GUARDED_BY(mu_)
};

}  // namespace swiftfs::cache
