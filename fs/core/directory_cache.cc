#include "core/directory_cache.h"

#include <exception>
#include <string>

namespace swiftfs::core {

DirectoryCache::DirectoryCache(Clock& clock, Counters& counters,
                               std::chrono::steady_clock::duration ttl, size_t max_entries)
    : clock_(clock), counters_(counters), ttl_(ttl), max_entries_(max_entries) {}

bool DirectoryCache::FreshLocked(const DirectoryListing& listing) const {
  return clock_.Monotonic() < listing.fetched_at() + ttl_;
}

ListingPtr DirectoryCache::GetFreshLocked(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  if (!FreshLocked(*it->second->listing)) {
    EraseLocked(key);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->listing;
}

ListingPtr DirectoryCache::GetFresh(const std::string& key) {
  MutexLock lock(mu_);
  ListingPtr listing = GetFreshLocked(key);
  counters_.Add(listing ? Counter::kMetadataCacheHits : Counter::kMetadataCacheMisses);
  return listing;
}

Result<ListingPtr> DirectoryCache::RunFetch(const Fetcher& fetch) {
  try {
    return fetch();
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string("directory listing failed: ") + e.what());
  } catch (...) {
    return MakeError(ErrorCode::kInternal, "directory listing failed: unknown exception");
  }
}

Result<ListingPtr> DirectoryCache::GetOrFetch(const std::string& key, const Fetcher& fetch) {
  std::promise<Result<ListingPtr>> promise;
  {
    MutexLock lock(mu_);
    if (ListingPtr listing = GetFreshLocked(key)) {
      counters_.Add(Counter::kMetadataCacheHits);
      return listing;
    }
    counters_.Add(Counter::kMetadataCacheMisses);
    auto flight = in_flight_.find(key);
    if (flight != in_flight_.end()) {
      Flight shared = flight->second;
      lock.unlock();
      return shared.get();  // another thread is fetching: wait for its answer
    }
    in_flight_.emplace(key, promise.get_future().share());
  }

  // No lock held across the network. An exception must not escape between registering
  // the flight and settling it: the key would stay in flight for good, and every later
  // caller would wait on a broken promise.
  Result<ListingPtr> result = RunFetch(fetch);

  {
    MutexLock lock(mu_);
    if (result.ok()) InsertLocked(key, *result);
    in_flight_.erase(key);
  }
  promise.set_value(result);
  return result;
}

void DirectoryCache::InsertLocked(const std::string& key, ListingPtr listing) {
  EraseLocked(key);
  if (listing->size() > max_entries_ || ttl_ <= ttl_.zero()) return;
  total_entries_ += listing->size();
  lru_.push_front(Cached{key, std::move(listing)});
  index_.emplace(key, lru_.begin());
  while (total_entries_ > max_entries_ && lru_.size() > 1) {
    std::string victim = lru_.back().key;  // a copy: erasing frees the node's key
    EraseLocked(victim);
  }
}

void DirectoryCache::EraseLocked(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  total_entries_ -= it->second->listing->size();
  lru_.erase(it->second);
  index_.erase(it);
}

void DirectoryCache::Put(const std::string& key, ListingPtr listing) {
  MutexLock lock(mu_);
  InsertLocked(key, std::move(listing));
}

void DirectoryCache::Invalidate(const std::string& key) {
  MutexLock lock(mu_);
  EraseLocked(key);
}

size_t DirectoryCache::cached_entries() const {
  MutexLock lock(mu_);
  return total_entries_;
}

}  // namespace swiftfs::core
