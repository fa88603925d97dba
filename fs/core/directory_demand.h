#pragma once
// DirectoryDemand: how busy each directory is with lookups and attribute refreshes of its
// names, so that DirectoryState can tell when listing a directory whole is cheaper than
// asking Swift name by name.
//
// Design: a name costs one request (a probe, a HEAD) when its directory's listing is not
// at hand; a listing costs one request per page (10,000 names). A program that opens many
// files of one directory by path (a known file list), and a walk (rsync, cp -r, tar:
// readdir, then a lookup and an open of each name) that outlives the listing's freshness,
// both ask about many names of one directory in a short time: for them, one listing
// answers every later name with no request at all. Demand counts a directory's uses in the
// current window of `window` (dir_cache_timeout) and the one before it, so it falls to
// nothing once the directory is left alone; listing is worth it once the demand reaches
// kListAfterUses and the number of pages the directory's last listing took. A directory
// too large to hold (streamed) is not worth listing for lookups until a window has passed.
//
// Bounded: at most `capacity` directories are remembered; beyond that the least recently
// used one is forgotten (it starts again from no demand).
//
// Thread-safe; the mutex is a leaf (DirectoryState calls in without its own lock held).

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

// Uses of one directory within about a window before a lookup lists it: the third name a
// program asks for in a directory it has not listed brings the listing.
inline constexpr uint64_t kListAfterUses = 3;
// Directories whose demand is remembered.
inline constexpr size_t kDemandDirectories = 4096;

class DirectoryDemand {
 public:
  DirectoryDemand(Clock& clock, std::chrono::steady_clock::duration window, size_t capacity);

  // Counts one use of the directory `key` (a lookup of a name in it, or a refresh of a
  // name's attributes); true when listing it now is worth it (see above).
  bool Use(const std::string& key);
  // The directory `key` was just listed, by a listing that began at `started`: whole in
  // `pages` requests (a new window starts, carrying the demand as the listing began), or
  // (`held` false) it is too large to hold and lookups in it go name by name for a window.
  void Listed(const std::string& key, std::chrono::steady_clock::time_point started, uint64_t pages,
              bool held);

 private:
  struct Demand {
    std::chrono::steady_clock::time_point window_start;
    std::chrono::steady_clock::time_point last_use;
    uint64_t uses = 0;           // in the window that began at window_start
    uint64_t previous_uses = 0;  // in the window before it, if it was the one just before
    uint64_t pages = 1;          // requests of the last whole listing
    std::chrono::steady_clock::time_point too_large_until{};
  };
  // `key`'s record (a new one, with no demand, starting at `now`).
  Demand& Find(const std::string& key, std::chrono::steady_clock::time_point now) REQUIRES(mu_);
  // Moves `d`'s windows forward to `at`.
  void Roll(Demand& d, std::chrono::steady_clock::time_point at) const;

  Clock& clock_;
  const std::chrono::steady_clock::duration window_;
  const size_t capacity_;
  Mutex mu_;
  std::unordered_map<std::string, Demand> demand_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
