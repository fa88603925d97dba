// TreeReadAhead: following walks of directories and fetching their next files ahead
// (design in tree_read_ahead.h).
#include "cache/prefetch/tree_read_ahead.h"

#include <algorithm>
#include <utility>

namespace swiftfs::cache {

TreeReadAhead::TreeReadAhead(const PrefetchOptions& options, MemoryBudget& budget,
                             Counters& counters, Clock& clock)
    : options_(options), budget_(budget), counters_(counters), clock_(clock) {
  if (options_.tree_files > 0) sweeper_ = std::thread([this] { SweepLoop(); });
}

TreeReadAhead::~TreeReadAhead() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
  }
  sweep_wake_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
  MutexLock lock(mu_);
  for (Walk& walk : walks_) DropLocked(walk, nullptr);
}

size_t TreeReadAhead::ahead_files() const {
  MutexLock lock(mu_);
  size_t files = 0;
  for (const Walk& walk : walks_) files += walk.ahead.size();
  return files;
}

std::shared_ptr<Part> TreeReadAhead::OnOpen(const ObjectVersion& version,
                                            const ListedPosition& where,
                                            std::vector<Fetch>& to_fetch) {
  if (options_.tree_files == 0 || !where.order || where.index >= where.order->size()) {
    return nullptr;
  }
  const ListingOrder& order = *where.order;
  MutexLock lock(mu_);
  Walk& walk = FindOrAddLocked(order.directory());
  std::shared_ptr<Part> handed = TakeLocked(walk, version);
  const bool continues = walk.opens > 0 && ContinuesLocked(walk, order, where.index);
  if (continues) {
    walk.opens = std::min<uint32_t>(walk.opens, UINT32_MAX - 1) + 1;
    DropLocked(walk, &version.name);  // nothing the reader passed is read later
  } else {
    walk.opens = 1;
    DropLocked(walk, nullptr);  // the pattern broke: stop at once
  }
  walk.last_name = version.name;
  walk.last_open = clock_.Monotonic();
  if (walk.opens >= options_.tree_sequential_opens) {
    ScheduleLocked(walk, order, where.index, to_fetch);
  }
  // The sweeper sleeps without a deadline while no walk has files ahead: give it one.
  if (!to_fetch.empty() && sweeper_waits_) {
    sweeper_waits_ = false;
    sweep_wake_.notify_one();
  }
  if (handed) counters_.Add(Counter::kTreeReadAheadHits);
  return handed;
}

TreeReadAhead::Walk& TreeReadAhead::FindOrAddLocked(const std::string& directory) {
  auto it = std::find_if(walks_.begin(), walks_.end(),
                         [&](const Walk& walk) { return walk.directory == directory; });
  if (it != walks_.end()) {
    walks_.splice(walks_.begin(), walks_, it);
    return walks_.front();
  }
  if (walks_.size() >= kMaxWalks) {
    DropLocked(walks_.back(), nullptr);
    walks_.pop_back();
  }
  walks_.emplace_front();
  walks_.front().directory = directory;
  return walks_.front();
}

std::shared_ptr<Part> TreeReadAhead::Peek(const ObjectVersion& version) const {
  MutexLock lock(mu_);
  for (const Walk& walk : walks_) {
    auto it = walk.ahead.find(version.name);
    if (it == walk.ahead.end() || !(*it->second.version == version)) continue;
    const Part::State state = it->second.part->state();
    if (state != Part::State::kFailed && state != Part::State::kCancelled) return it->second.part;
  }
  return nullptr;
}

std::shared_ptr<Part> TreeReadAhead::TakeLocked(Walk& walk, const ObjectVersion& version) {
  auto it = walk.ahead.find(version.name);
  if (it == walk.ahead.end()) return nullptr;
  Ahead ahead = std::move(it->second);
  walk.ahead.erase(it);
  walk.ahead_bytes -= ahead.part->length();
  if (*ahead.version == version) {
    const Part::State state = ahead.part->state();
    // A failed part is not handed over: the reader reads for itself and meets the
    // failure (or the object's change) first hand.
    if (state != Part::State::kFailed && state != Part::State::kCancelled) return ahead.part;
  }
  // Another version than the open pinned (the object changed since the listing the walk
  // read ahead from): its bytes are never served.
  Discard(ahead);
  return nullptr;
}

bool TreeReadAhead::ContinuesLocked(const Walk& walk, const ListingOrder& order,
                                    size_t index) const {
  const std::optional<size_t> last = order.IndexOf(walk.last_name);
  if (!last || *last >= index || index - *last > kMaxGap) return false;
  for (size_t i = *last + 1; i < index; ++i) {
    if (order.At(i).content) return false;  // the reader skipped a file
  }
  return true;
}

void TreeReadAhead::ScheduleLocked(Walk& walk, const ListingOrder& order, size_t index,
                                   std::vector<Fetch>& to_fetch) {
  // Entries looked at per open, so that a directory of mostly large files or
  // subdirectories costs a bounded scan.
  const size_t scan_end =
      std::min<size_t>(order.size(), index + 1 + size_t{options_.tree_files} * 2 + kMaxGap);
  size_t files = walk.ahead.size();
  for (size_t i = index + 1; i < scan_end && files < options_.tree_files; ++i) {
    ListingOrder::Entry entry = order.At(i);
    const ObjectVersion& v = entry.version;
    // Never unpinned (no etag), never what the stream prefetch does better.
    if (!entry.content || v.etag.empty() || v.size > options_.tree_file_max) continue;
    if (walk.ahead.contains(v.name)) continue;
    if (held_ && held_(v)) continue;  // read from the local copy, never from here
    if (walk.ahead_bytes + v.size > options_.tree_bytes) break;
    MemoryBudget::Reservation reservation = budget_.TryReserve(v.size);
    if (!reservation) break;  // the budget is the streams' too: never wait for it
    auto part = std::make_shared<Part>(0, v.size, std::move(reservation));
    auto version = std::make_shared<const ObjectVersion>(std::move(entry.version));
    walk.ahead_bytes += part->length();
    walk.ahead.emplace(version->name, Ahead{version, part});
    to_fetch.push_back(Fetch{std::move(part), std::move(version)});
    counters_.Add(Counter::kTreeReadAheadFiles);
    ++files;
  }
}

void TreeReadAhead::SkipHeldLocally(FileReaderFactory::HeldLocally held) {
  MutexLock lock(mu_);
  held_ = std::move(held);
}

void TreeReadAhead::DropLocked(Walk& walk, const std::string* name) {
  auto end = name ? walk.ahead.upper_bound(*name) : walk.ahead.end();
  for (auto it = walk.ahead.begin(); it != end; ++it) {
    walk.ahead_bytes -= it->second.part->length();
    Discard(it->second);
  }
  walk.ahead.erase(walk.ahead.begin(), end);
}

void TreeReadAhead::SweepLoop() {
  MutexLock lock(mu_);
  while (!stopping_) {
    const Clock::MonoTime due = SweepLocked(clock_.Monotonic());
    sweeper_waits_ = due == Clock::MonoTime::max();
    // Woken early (a new walk, a stop, or spuriously) it only sweeps again.
    clock_.WaitUntil(lock.Underlying(), sweep_wake_, due);
  }
}

Clock::MonoTime TreeReadAhead::SweepLocked(Clock::MonoTime now) {
  Clock::MonoTime next = Clock::MonoTime::max();
  for (Walk& walk : walks_) {
    if (walk.ahead.empty()) continue;
    const Clock::MonoTime idle_at = walk.last_open + options_.tree_idle;
    if (idle_at <= now) {
      DropLocked(walk, nullptr);
    } else {
      next = std::min(next, idle_at);
    }
  }
  return next;
}

void TreeReadAhead::Discard(const Ahead& ahead) {
  const Part::State was = ahead.part->Cancel();
  // A GET that started is paid for whether or not its bytes are kept.
  if (was == Part::State::kFetching || was == Part::State::kDone) {
    counters_.Add(Counter::kTreeReadAheadWastedBytes, ahead.part->length());
  }
}

}  // namespace swiftfs::cache
