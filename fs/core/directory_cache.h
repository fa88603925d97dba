#pragma once
// DirectoryCache: recent directory listings, keyed by an opaque directory key (the core
// uses "container/prefix", "" for the account). A listing is fresh for `ttl` after it was
// fetched (Clock::Monotonic()). Listings are shared immutable snapshots: an open directory
// handle keeps its own even after the cache dropped it.
//
// Single flight: when several threads want the same stale directory at once, one of them
// runs the fetch (without any lock held) and the others wait for and share its result,
// success or error. Errors are not cached.
//
// Bounded: the entries of all cached listings together stay under `max_entries`, least
// recently used listings first out; a listing larger than the bound alone is not cached
// (its handle still holds it).
//
// Thread-safety: every method may be called concurrently; the internal mutex is a leaf lock.

#include <chrono>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/directory_listing.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

using ListingPtr = std::shared_ptr<const DirectoryListing>;

class DirectoryCache {
 public:
  using Fetcher = std::function<Result<ListingPtr>()>;

  DirectoryCache(Clock& clock, Counters& counters, std::chrono::steady_clock::duration ttl,
                 size_t max_entries);

  // The fresh listing of `key`, or null. Never fetches.
  ListingPtr GetFresh(const std::string& key);
  // The fresh listing of `key`, else the result of `fetch` (shared with concurrent callers
  // for the same key, see above). `fetch` is called without any lock held. A listing
  // handed to the cache (by `fetch` or Put) is never null.
  Result<ListingPtr> GetOrFetch(const std::string& key, const Fetcher& fetch);
  // Caches `listing` for `key`, fetched elsewhere (a lookup whose probe saw the whole
  // directory). A fetch in flight for the key still settles and replaces it.
  void Put(const std::string& key, ListingPtr listing);
  void Invalidate(const std::string& key);
  size_t cached_entries() const;

 private:
  struct Cached {
    std::string key;
    ListingPtr listing;
  };
  using Flight = std::shared_future<Result<ListingPtr>>;

  // `fetch()`, with an exception it throws turned into a kInternal error.
  static Result<ListingPtr> RunFetch(const Fetcher& fetch);
  bool FreshLocked(const DirectoryListing& listing) const REQUIRES(mu_);
  ListingPtr GetFreshLocked(const std::string& key) REQUIRES(mu_);
  void InsertLocked(const std::string& key, ListingPtr listing) REQUIRES(mu_);
  void EraseLocked(const std::string& key) REQUIRES(mu_);

  Clock& clock_;
  Counters& counters_;
  const std::chrono::steady_clock::duration ttl_;
  const size_t max_entries_;
  mutable Mutex mu_;
  std::list<Cached> lru_ GUARDED_BY(mu_);  // most recently used first
  std::unordered_map<std::string, std::list<Cached>::iterator> index_ GUARDED_BY(mu_);
  size_t total_entries_ GUARDED_BY(mu_) = 0;
  std::unordered_map<std::string, Flight> in_flight_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
