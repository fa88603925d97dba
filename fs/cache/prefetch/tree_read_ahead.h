#pragma once
// TreeReadAhead: read-ahead across files. Tools that copy a directory out (rsync -a, cp -r,
// tar c, find -exec cat) open its files one after another in listing order and read each
// whole; every file then costs a round trip to Swift, back to back. Once opens follow a
// directory's listing order (PrefetchOptions::tree_sequential_opens in a row), the next
// small files are fetched whole, in parallel, ahead of the reader: each one a Part of the
// whole object, a GET with If-Match on the etag the listing gave. When the reader opens one
// of them as exactly that version (same etag and size), its Part is handed to the file's
// PrefetchReader, which serves the bytes (or waits for the GET still in flight); any other
// version drops it unread, so bytes of another version than the one an open pinned are
// never served.
//
// The pattern: an open continues a walk of its directory when it lies after the walk's last
// open with only entries a walker may pass without opening them in between (directories,
// symlinks, empty files). Anything else (an earlier file, a skipped file, a file opened
// twice) breaks it: every file fetched ahead of that walk is dropped at once (counted as
// wasted when its GET had started), and the walk must be re-established before more is
// fetched. A single open, as random access makes, fetches nothing ahead.
//
// Bounds: per walk at most tree_files files and tree_bytes bytes ahead, only files up to
// tree_file_max bytes (larger ones are left to the stream prefetch), every part reserved in
// the shared MemoryBudget (nothing is fetched ahead when it is used up); at most kMaxWalks
// directories are followed at once (cp -r descends into a subdirectory and comes back),
// the least recently opened one dropped first.
//
// Idle walks: a walk that has not opened a file for tree_idle (the reader was interrupted,
// or moved on for good) has its files ahead dropped, counted as wasted when fetched, and
// their reservations returned, by a thread of its own that sleeps on the injected Clock
// until the next walk is due. The walk itself (its last open) is kept: a reader that was
// only busy elsewhere (a large file, a subdirectory) continues it and it reads ahead again.
//
// Files a local copy holds (SkipHeldLocally: the disk cache's blocks) are not fetched ahead.
//
// Thread-safe. Lock order: TreeReadAhead::mu_ -> Part::mu_, and -> the locks of the
// held-locally check (the disk cache's, a leaf). Parts to fetch are returned to
// the caller, which submits them with no lock held (ThreadPool::mu_ is never taken inside).

#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cache/prefetch/part.h"
#include "swiftfs/cache/listing_order.h"
#include "swiftfs/cache/prefetch_memory_budget.h"
#include "swiftfs/cache/prefetcher.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class TreeReadAhead {
 public:
  // Directories whose walks are followed at once.
  static constexpr size_t kMaxWalks = 8;
  // An open further than this many entries after the last one does not continue a walk.
  static constexpr size_t kMaxGap = 64;

  // A part to fetch (GET of the whole `version`), returned by OnOpen.
  struct Fetch {
    std::shared_ptr<Part> part;
    std::shared_ptr<const ObjectVersion> version;
  };

  // `options`, `budget`, `counters` and `clock` must outlive this object. Starts the thread
  // that drops idle walks' files (when read-ahead across files is on).
  TreeReadAhead(const PrefetchOptions& options, MemoryBudget& budget, Counters& counters,
                Clock& clock);
  ~TreeReadAhead();  // stops that thread, drops (cancels) every part not handed over
  TreeReadAhead(const TreeReadAhead&) = delete;
  TreeReadAhead& operator=(const TreeReadAhead&) = delete;

  // An open of `version` at `where`: updates the directory's walk, adds the parts now to
  // be fetched ahead to `to_fetch`, and returns the part fetched ahead for exactly
  // `version` (done, or still queued or in flight), or null.
  std::shared_ptr<Part> OnOpen(const ObjectVersion& version, const ListedPosition& where,
                               std::vector<Fetch>& to_fetch);

  // The part fetched ahead (done, queued or in flight) for exactly `version`, left in its
  // walk for the open to take; null when there is none. For a lookup that needs the reply's
  // headers before the open (Prefetcher::FetchForLookup).
  std::shared_ptr<Part> Peek(const ObjectVersion& version) const;

  // From now on, files `held` says a local copy holds are not fetched ahead: their reads
  // are served there (the disk cache), so a GET of them would be wasted.
  void SkipHeldLocally(FileReaderFactory::HeldLocally held);

  // Files fetched ahead and not handed over, all walks together (tests).
  size_t ahead_files() const;

 private:
  struct Ahead {
    std::shared_ptr<const ObjectVersion> version;
    std::shared_ptr<Part> part;
  };
  struct Walk {
    std::string directory;
    std::string last_name;               // object name of the walk's last open
    uint32_t opens = 0;                  // opens in a row in listing order
    std::map<std::string, Ahead> ahead;  // by object name, i.e. in listing order
    uint64_t ahead_bytes = 0;
    Clock::MonoTime last_open{};  // when the walk's last open was
  };

  Walk& FindOrAddLocked(const std::string& directory) REQUIRES(mu_);
  std::shared_ptr<Part> TakeLocked(Walk& walk, const ObjectVersion& version) REQUIRES(mu_);
  bool ContinuesLocked(const Walk& walk, const ListingOrder& order, size_t index) const
      REQUIRES(mu_);
  void ScheduleLocked(Walk& walk, const ListingOrder& order, size_t index,
                      std::vector<Fetch>& to_fetch) REQUIRES(mu_);
  // Drops the parts of `walk` at or before `name` (all of them when `name` is null).
  void DropLocked(Walk& walk, const std::string* name) REQUIRES(mu_);
  void Discard(const Ahead& ahead);
  // The idle sweeper's thread: drops the files ahead of walks idle for tree_idle.
  void SweepLoop();
  // Drops the files of walks idle since before `now - tree_idle`; returns when the next
  // walk with files ahead becomes idle (MonoTime::max() when none has any).
  Clock::MonoTime SweepLocked(Clock::MonoTime now) REQUIRES(mu_);

  const PrefetchOptions& options_;
  MemoryBudget& budget_;
  Counters& counters_;
  Clock& clock_;
  mutable Mutex mu_;
  std::list<Walk> walks_ GUARDED_BY(mu_);       // most recently opened first
  std::condition_variable sweep_wake_;          // waited on with mu_
  bool sweeper_waits_ GUARDED_BY(mu_) = false;  // asleep with no walk due: wake it for one
  bool stopping_ GUARDED_BY(mu_) = false;
  FileReaderFactory::HeldLocally held_ GUARDED_BY(mu_);
  std::thread sweeper_;  // last: started once everything it reads exists
};

}  // namespace swiftfs::cache
