#include "core/directory_state.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

#include "core/attr_builder.h"

namespace swiftfs::core {

DirectoryState::DirectoryState(ListingFetcher& fetcher, Clock& clock, Counters& counters,
                               const FsOptions& options)
    : fetcher_(fetcher),
      clock_(clock),
      ttl_(ToDuration(options.dir_cache_timeout)),
      stream_entries_(options.stream_directory_entries),
      listings_(clock, counters, ttl_, options.max_cached_entries),
      first_pages_(ttl_, kFirstPagesKept),
      demand_(clock, ttl_, kDemandDirectories),
      changes_(clock) {}

ListingPtr DirectoryState::FreshListing(const std::string& container, const std::string& prefix) {
  return listings_.GetFresh(DirCacheKey(container, prefix));
}

Result<ListingPtr> DirectoryState::ListingFor(const Location& dir) {
  return ListingFor(dir.container, dir.key);
}

Result<ListingPtr> DirectoryState::ListingFor(const std::string& container,
                                              const std::string& prefix) {
  const std::string key = DirCacheKey(container, prefix);
  const bool busy = demand_.Use(key);
  if (ListingPtr fresh = listings_.GetFresh(key)) return fresh;
  // Without a cache time a listing would serve this one name only: never worth it.
  if (!busy || ttl_ <= ttl_.zero()) return ListingPtr();
  Location dir;
  dir.container = container;
  dir.key = prefix;
  auto start = Start(dir);
  if (!start) return std::move(start).error();
  if (start->rest) return ListingPtr();  // too large to hold: name by name
  if (!listings_.GetFresh(key)) {
    // Listed but not held (beyond max_cached_entries): the next name would list it again.
    // It answers this one; the others go name by name for a while.
    demand_.Listed(key, clock_.Monotonic(), 0, false);
  }
  return std::move(start->listing);
}

void DirectoryState::NoteUse(const std::string& container, const std::string& prefix) {
  demand_.Use(DirCacheKey(container, prefix));
}

void DirectoryState::NoteListed(const std::string& key, Clock::MonoTime started,
                                const Result<ListingChunk>& result) {
  if (!result.ok()) return;
  if (result->rest) {
    demand_.Listed(key, started, 0, false);
    return;
  }
  const uint64_t limit = std::max<uint32_t>(fetcher_.page_limit(), 1);
  demand_.Listed(key, started, result->listing->size() / limit + 1, true);
}

void DirectoryState::KeepProbe(const Location& dir, FirstPage page) {
  const std::string key = DirCacheKey(dir);
  if (page.complete) {
    auto listing = fetcher_.ListDirectory(dir.container, dir.key, &page);  // no request
    if (listing) {
      MutexLock lock(mu_);  // so a change noted meanwhile is not lost (NoteWritten)
      listings_.Put(key, changes_.Apply(key, *listing));
    }
  } else {
    first_pages_.Put(key, std::move(page));
  }
}

size_t DirectoryState::StreamThreshold() const {
  return stream_entries_ == 0 ? SIZE_MAX : stream_entries_;
}

bool DirectoryState::Stale(const DirectoryListing& listing) const {
  return clock_.Monotonic() >= listing.fetched_at() + ttl_;
}

Result<ListingChunk> DirectoryState::List(const Location& dir, const std::string& key) {
  if (IsAccountRoot(dir)) {
    // Accounts are listed whole: tens of thousands of containers are rare.
    auto containers = fetcher_.ListContainers();
    if (!containers) return std::move(containers).error();
    return ListingChunk{std::move(*containers), std::nullopt};
  }
  // Continue after the page a lookup of this directory fetched, if it is recent.
  std::optional<FirstPage> first = first_pages_.Take(key, clock_.Monotonic());
  return fetcher_.ListDirectoryUpTo(dir.container, dir.key, first ? &*first : nullptr,
                                    StreamThreshold());
}

Result<ListingChunk> DirectoryState::Start(const Location& dir) {
  const std::string key = DirCacheKey(dir);
  std::promise<Result<ListingChunk>> promise;
  {
    MutexLock lock(mu_);
    // Checked under mu_: a flight puts its listing into the cache before it leaves
    // starting_, so this finds the one or the other.
    if (ListingPtr cached = listings_.GetFresh(key)) {
      return ListingChunk{std::move(cached), std::nullopt};
    }
    auto flight = starting_.find(key);
    if (flight != starting_.end()) {
      Flight shared = flight->second;
      lock.unlock();
      return shared.get();  // another opener is listing it: share its answer (a copy)
    }
    starting_.emplace(key, promise.get_future().share());
  }

  // No lock held across the listing. An exception must not escape while the flight is
  // registered: every later opener would wait on a broken promise.
  Result<ListingChunk> result = MakeError(ErrorCode::kInternal, "directory listing failed");
  const Clock::MonoTime started = clock_.Monotonic();
  try {
    result = List(dir, key);
  } catch (const std::exception& e) {
    result = MakeError(ErrorCode::kInternal, std::string("directory listing failed: ") + e.what());
  } catch (...) {
    result = MakeError(ErrorCode::kInternal, "directory listing failed: unknown exception");
  }

  NoteListed(key, started, result);
  {
    MutexLock lock(mu_);
    if (result.ok() && !result->rest) {
      result->listing = changes_.Apply(key, std::move(result->listing));
      listings_.Put(key, result->listing);
    }
    starting_.erase(key);
  }
  promise.set_value(result);
  return result;
}

Result<DirectoryStream> DirectoryState::OpenStream(const Location& dir) {
  auto start = Start(dir);
  if (!start) return std::move(start).error();
  return DirectoryStream(fetcher_, std::move(*start), [this, dir] { return Start(dir); });
}

}  // namespace swiftfs::core

namespace swiftfs::core {

void DirectoryState::RefreshCachedLocked(const std::string& dir_key) {
  if (ListingPtr cached = listings_.GetFresh(dir_key)) {
    // Already merged once: applying again adds the new change and ends none.
    listings_.Put(dir_key, changes_.Apply(dir_key, std::move(cached), /*from_swift=*/false));
  }
}

void DirectoryState::NoteWritten(const std::string& container, const std::string& name,
                                 const ObjectAttrs& attrs) {
  MutexLock lock(mu_);
  changes_.NoteWritten(container, name, attrs);
  RefreshCachedLocked(ListedNameOf(container, name).dir_key);
}

void DirectoryState::NotePresent(const std::string& container, const std::string& key,
                                 ListingEntry entry, std::string content_type) {
  MutexLock lock(mu_);
  changes_.NotePresent(container, key, std::move(entry), std::move(content_type));
  RefreshCachedLocked(ListedNameOf(container, key).dir_key);
}

void DirectoryState::NoteDirectory(const std::string& container, const std::string& prefix) {
  MutexLock lock(mu_);
  changes_.NoteDirectory(container, prefix);
  RefreshCachedLocked(ListedNameOf(container, prefix).dir_key);
}

void DirectoryState::NoteRemoved(const std::string& container, const std::string& key) {
  MutexLock lock(mu_);
  changes_.NoteRemoved(container, key);
  RefreshCachedLocked(ListedNameOf(container, key).dir_key);
  if (key.empty() || key.back() == '/') {
    const std::string own = DirCacheKey(container, key);
    listings_.Invalidate(own);
    first_pages_.Take(own, clock_.Monotonic());
  }
}

}  // namespace swiftfs::core
