// Prefetcher: owns what every reader shares (pool, memory budget, options) and creates one
// PrefetchReader per open file. The design is described in include/swiftfs/cache/prefetcher.h.

#include "swiftfs/cache/prefetcher.h"

#include <algorithm>

#include "cache/prefetch/lookup_bodies.h"
#include "cache/prefetch/prefetch_reader.h"
#include "cache/prefetch/tree_read_ahead.h"

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
  o.tree_threads = std::max<uint32_t>(o.tree_threads, 1);
  o.tree_sequential_opens = std::max<uint32_t>(o.tree_sequential_opens, 1);
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
  if (tree_threads == 0 || tree_threads > 256) {
    return bad("read-ahead threads must be between 1 and 256");
  }
  if (tree_sequential_opens == 0) return bad("read-ahead sequential opens must be at least 1");
  if (tree_idle <= std::chrono::steady_clock::duration::zero()) {
    return bad("read-ahead idle time must be positive");
  }
  return OkStatus();
}

Prefetcher::Prefetcher(swift::ObjectClient& client, Counters& counters, PrefetchOptions options,
                       Clock& clock)
    : context_(std::make_unique<PrefetchContext>(client, counters, Sanitized(options))),
      tree_(std::make_unique<TreeReadAhead>(context_->options, context_->budget, counters, clock)),
      bodies_(std::make_unique<LookupBodies>(context_->options.lookup_bodies,
                                             context_->options.tree_idle, counters, clock)) {}

Prefetcher::Prefetcher(swift::ObjectClient& client, Counters& counters, PrefetchOptions options)
    : own_clock_(std::make_unique<SystemClock>()),
      context_(std::make_unique<PrefetchContext>(client, counters, Sanitized(options))),
      tree_(std::make_unique<TreeReadAhead>(context_->options, context_->budget, counters,
                                            *own_clock_)),
      bodies_(std::make_unique<LookupBodies>(context_->options.lookup_bodies,
                                             context_->options.tree_idle, counters, *own_clock_)) {}

Prefetcher::~Prefetcher() = default;

std::unique_ptr<FileReader> Prefetcher::Open(const ObjectVersion& version) {
  if (auto body = bodies_->Take(version)) {
    return std::make_unique<PrefetchReader>(version, *context_, std::move(body));
  }
  return std::make_unique<PrefetchReader>(version, *context_);
}

std::unique_ptr<FileReader> Prefetcher::OpenListed(const ObjectVersion& version,
                                                   const ListedPosition& where) {
  std::vector<TreeReadAhead::Fetch> to_fetch;
  std::shared_ptr<Part> whole = tree_->OnOpen(version, where, to_fetch);
  for (TreeReadAhead::Fetch& fetch : to_fetch) {
    // A weak reference, as for a stream's parts: a part dropped while its task waited
    // (the walk broke) is not kept alive, nor fetched.
    context_->tree_pool->Submit([weak = std::weak_ptr<Part>(fetch.part),
                                 version = std::move(fetch.version), &context = *context_] {
      if (auto part = weak.lock()) part->Fetch(context.client, *version, context.buffers);
    });
  }
  if (whole) return std::make_unique<PrefetchReader>(version, *context_, std::move(whole));
  return Open(version);
}

std::optional<Result<swift::ObjectInfo>> Prefetcher::FetchForLookup(
    const ObjectVersion& version, const std::atomic<bool>* cancel) {
  const PrefetchOptions& options = context_->options;
  if (options.lookup_bodies == 0 || version.size == 0 || version.size > options.tree_file_max) {
    return std::nullopt;
  }
  // A walk reading ahead may have fetched it already, or be fetching it: that reply
  // answers, and the part stays with the walk for the open.
  std::shared_ptr<Part> part = tree_->Peek(version);
  const bool own = part == nullptr;
  if (own) {
    if (!bodies_->Worthwhile()) return std::nullopt;
    MemoryBudget::Reservation reservation = context_->budget.TryReserve(version.size);
    if (!reservation) return std::nullopt;
    part = std::make_shared<Part>(0, version.size, std::move(reservation));
    context_->counters.Add(Counter::kLookupGets);
  }
  // Nothing if started elsewhere; else the interrupt aborts the GET (failing our part, or
  // the walk's, which its open then fetches again, as when a reader's interrupt does so).
  part->Fetch(context_->client, version, context_->buffers, swift::ReadControl{cancel});
  const Part::State state = part->Wait(cancel);
  if (swift::Cancelled(swift::ReadControl{cancel})) {
    return MakeError(ErrorCode::kCancelled, "lookup interrupted");
  }
  switch (state) {
    case Part::State::kDone:
      if (!part->info()) return std::nullopt;  // no usable headers: HEAD
      if (own) bodies_->Keep(version, part);
      return *part->info();
    case Part::State::kFailed:
      // Changed since it was listed: a HEAD tells what the name holds now. A walk's part
      // failed under the walk's own bounds (its deadline, a reader's interrupt): this
      // lookup asks again with a HEAD rather than inherit that failure.
      if (!own || part->error().code == ErrorCode::kPreconditionFailed) return std::nullopt;
      return part->error();
    default:
      return std::nullopt;  // the walk dropped its part before it arrived
  }
}

std::optional<Result<FileReaderFactory::WholeObject>> Prefetcher::FetchWhole(
    const ObjectVersion& version) {
  const PrefetchOptions& options = context_->options;
  if (version.size == 0 || version.size > options.tree_file_max) return std::nullopt;
  std::shared_ptr<Part> part = tree_->Peek(version);
  const bool own = part == nullptr;
  if (own) {
    MemoryBudget::Reservation reservation = context_->budget.TryReserve(version.size);
    if (!reservation) return std::nullopt;
    part = std::make_shared<Part>(0, version.size, std::move(reservation));
  }
  part->Fetch(context_->client, version, context_->buffers);
  switch (part->Wait()) {
    case Part::State::kDone: {
      if (!part->info() || part->data().size() != version.size) return std::nullopt;
      WholeObject whole{*part->info(), part->data(), nullptr};
      whole.owner = std::move(part);
      return whole;
    }
    case Part::State::kFailed:
      // As FetchForLookup: changed since listed (a HEAD tells what the name holds now), or
      // a walk's part failed under the walk's own bounds.
      if (!own || part->error().code == ErrorCode::kPreconditionFailed) return std::nullopt;
      return part->error();
    default:
      return std::nullopt;  // the walk dropped its part before it arrived
  }
}

void Prefetcher::SkipHeldLocally(const HeldLocally& held) { tree_->SkipHeldLocally(held); }

const MemoryBudget& Prefetcher::budget() const { return context_->budget; }

size_t Prefetcher::files_ahead() const { return tree_->ahead_files(); }

void Prefetcher::WaitIdle() {
  if (context_->tree_pool) context_->tree_pool->WaitIdle();
  context_->pool.WaitIdle();
}

}  // namespace swiftfs::cache
