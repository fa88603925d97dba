#include "swiftfs/cache/metadata_cache.h"

namespace swiftfs::cache {

MetadataCache::MetadataCache(Clock& clock, Counters& counters, size_t max_entries)
    : clock_(clock), counters_(counters), max_entries_(max_entries) {}

std::optional<MetadataCache::Hit> MetadataCache::Get(const std::string& key) {
  MutexLock lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    counters_.Add(Counter::kMetadataCacheMisses);
    return std::nullopt;
  }
  if (it->second->expiry <= clock_.Monotonic()) {
    lru_.erase(it->second);
    index_.erase(it);
    counters_.Add(Counter::kMetadataCacheMisses);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  counters_.Add(Counter::kMetadataCacheHits);
  return Hit{it->second->info};
}

void MetadataCache::PutObject(const std::string& key, std::shared_ptr<const swift::ObjectInfo> info,
                              Duration ttl) {
  if (!info) return;
  MutexLock lock(mu_);
  PutLocked(key, std::move(info), ttl);
}

void MetadataCache::PutNegative(const std::string& key, Duration ttl) {
  MutexLock lock(mu_);
  PutLocked(key, nullptr, ttl);
}

void MetadataCache::PutLocked(const std::string& key, std::shared_ptr<const swift::ObjectInfo> info,
                              Duration ttl) {
  auto it = index_.find(key);
  if (it != index_.end()) {
    lru_.erase(it->second);
    index_.erase(it);
  }
  if (ttl <= Duration::zero() || max_entries_ == 0) return;
  lru_.push_front(Node{key, std::move(info), clock_.Monotonic() + ttl});
  index_.emplace(key, lru_.begin());
  while (index_.size() > max_entries_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

void MetadataCache::Invalidate(const std::string& key) {
  MutexLock lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

size_t MetadataCache::size() const {
  MutexLock lock(mu_);
  return index_.size();
}

}  // namespace swiftfs::cache
