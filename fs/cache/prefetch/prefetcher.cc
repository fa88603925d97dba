// Prefetcher: owns what every reader shares (pool, memory budget, options) and creates one
// PrefetchReader per open file. The design is described in include/swiftfs/cache/prefetcher.h.

#include "swiftfs/cache/prefetcher.h"

#include <algorithm>

#include "cache/prefetch/prefetch_reader.h"

namespace swiftfs::cache {

namespace {
constexpr uint64_t kMinimumSize = 4096;

// Keeps the reader's loops finite even when Validate() was skipped.
PrefetchOptions Sanitized(PrefetchOptions o) {
  o.window_min = std::max(o.window_min, kMinimumSize);
  o.window_max = std::max(o.window_max, o.window_min);
  o.part_size = std::max(o.part_size, kMinimumSize);
  o.threads = std::max<uint32_t>(o.threads, 1);
  o.sequential_reads = std::max<uint32_t>(o.sequential_reads, 1);
  return o;
}
}  // namespace

Status PrefetchOptions::Validate() const {
  auto bad = [](std::string message) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(message));
  };
  if (window_min < kMinimumSize) return bad("prefetch window_min must be at least 4096 bytes");
  if (window_max < window_min) return bad("prefetch window_max must be at least window_min");
  if (part_size < kMinimumSize) return bad("prefetch part_size must be at least 4096 bytes");
  if (threads == 0 || threads > 256) return bad("prefetch threads must be between 1 and 256");
  if (sequential_reads == 0) return bad("prefetch sequential_reads must be at least 1");
  return OkStatus();
}

Prefetcher::Prefetcher(swift::ObjectClient& client, Counters& counters, PrefetchOptions options)
    : context_(std::make_unique<PrefetchContext>(client, counters, Sanitized(options))) {}

Prefetcher::~Prefetcher() = default;

std::unique_ptr<FileReader> Prefetcher::Open(const ObjectVersion& version) {
  return std::make_unique<PrefetchReader>(version, *context_);
}

const MemoryBudget& Prefetcher::budget() const { return context_->budget; }

void Prefetcher::WaitIdle() { context_->pool.WaitIdle(); }

}  // namespace swiftfs::cache
