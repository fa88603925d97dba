#pragma once
// FirstPageStore: the first listing pages that lookups fetched to tell a pseudo-directory
// from a file, kept briefly so that the listing which usually follows (`ls dir` looks `dir`
// up, then reads it) continues after them instead of asking for them again.
//
// Keyed like the DirectoryCache. A page is handed out once (Take) and only while younger
// than the directory cache's TTL, so it never makes a listing staler than the cache would.
// Bounded: beyond `capacity` pages the oldest is dropped. Thread-safe; the mutex is a leaf.

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <utility>

#include "core/listing_fetcher.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

class FirstPageStore {
 public:
  FirstPageStore(std::chrono::steady_clock::duration ttl, size_t capacity)
      : ttl_(ttl), capacity_(capacity) {}

  // Keeps `page` for the directory `key`, replacing an older one.
  void Put(const std::string& key, FirstPage page);
  // The page kept for `key` if it is younger than the TTL at `now`; removes it either way.
  std::optional<FirstPage> Take(const std::string& key, std::chrono::steady_clock::time_point now);

 private:
  const std::chrono::steady_clock::duration ttl_;
  const size_t capacity_;
  Mutex mu_;
  std::deque<std::pair<std::string, FirstPage>> pages_ GUARDED_BY(mu_);  // oldest first
};

}  // namespace swiftfs::core
