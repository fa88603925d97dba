#pragma once
// LookupBodies: small files fetched whole by a lookup instead of a HEAD
// (Prefetcher::FetchForLookup), kept for the open that usually follows.
//
// A program that opens files by name (cat a b c, a build reading its sources, cp -r, tar c)
// looks each one up first, and with mtime=meta the lookup needs the version's metadata,
// which no listing carries. For a small file, one GET of the whole object answers the
// lookup with the headers a HEAD would give and brings the bytes as well: kept here, they
// are handed to the open of exactly that version (same etag and size), which then reads
// without a request. The file costs one request instead of two.
//
// Bounds: at most `capacity` files, each holding its reservation in the shared
// MemoryBudget (its Part's); the oldest goes first, and a file kept longer than `max_age`
// is dropped unread at the next call.
//
// Whether it pays: a program that stats names without opening them (rsync's first pass,
// find -ls) would turn every HEAD into a GET of the whole file for nothing. After
// `capacity` files in a row were dropped unread, Worthwhile() answers no, except for one
// ask in kProbeEvery: a probe whose body an open takes turns it back on.
//
// Thread-safe: one mutex, never held across a GET (the caller fetches the parts), nor while
// a part is freed (which returns its buffer to the BufferPool, under that pool's lock).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "cache/prefetch/part.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class LookupBodies {
 public:
  // While off, one Worthwhile() in this many answers yes (a probe).
  static constexpr uint32_t kProbeEvery = 64;

  // `counters` and `clock` must outlive this object. capacity 0: Worthwhile() is never true.
  LookupBodies(size_t capacity, std::chrono::steady_clock::duration max_age, Counters& counters,
               Clock& clock);

  // Whether a lookup should fetch a small file whole now (see above).
  bool Worthwhile();
  // Keeps `part` (a whole-object part, done) for an open of `version`.
  void Keep(const ObjectVersion& version, std::shared_ptr<Part> part);
  // The body kept for exactly `version`, no longer kept here; null when there is none.
  // Counts kLookupGetHits.
  std::shared_ptr<Part> Take(const ObjectVersion& version);
  // Files kept right now (tests).
  size_t size() const;

 private:
  struct Kept {
    ObjectVersion version;
    std::shared_ptr<Part> part;
    Clock::MonoTime since{};
  };

  // Parts no longer kept, freed by the caller once mu_ is released.
  using Dropped = std::vector<std::shared_ptr<Part>>;
  // Drops the files kept longer than max_age into `dropped`.
  void DropExpiredLocked(Clock::MonoTime now, Dropped& dropped) REQUIRES(mu_);
  // Drops the oldest file, unread, into `dropped`.
  void DropOldestLocked(Dropped& dropped) REQUIRES(mu_);

  const size_t capacity_;
  const std::chrono::steady_clock::duration max_age_;
  Counters& counters_;
  Clock& clock_;
  mutable Mutex mu_;
  std::deque<Kept> kept_ GUARDED_BY(mu_);  // oldest first
  size_t unread_in_a_row_ GUARDED_BY(mu_) = 0;
  uint32_t asks_while_off_ GUARDED_BY(mu_) = 0;
};

}  // namespace swiftfs::cache
