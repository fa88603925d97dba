#pragma once
// DirectoryState: what the core knows about directories' contents, and the one place that
// decides how a directory is listed.
//
// Design: a directory is either held whole or streamed. Whole listings (at most
// FsOptions::stream_directory_entries entries, and the account's containers) go into the
// DirectoryCache, where they answer lookups in the directory, "no such name" included,
// while fresh. A larger directory is streamed: its open handles read it a chunk at a time
// (DirectoryStream) and no partial listing ever enters the cache, so lookups in it go by
// requests. Start() makes that decision, and only Start(): the cache is only ever given
// whole listings, never asked to carry "too large" through its fetch.
//
// Concurrent openers of the same directory share one listing (single flight, here rather
// than in the cache's GetOrFetch, because the result may be a chunk and a cursor that must
// not be cached): the first runs the listing with no lock held, the others wait for its
// result and take a copy (a chunk is a shared immutable listing and a plain cursor, so
// every handle streams on from its own copy). A whole result is put into the cache before
// the flight ends, so a later opener finds one or the other.
//
// Also here: the first pages that lookups' probes fetched (FirstPageStore), which the
// next listing of that directory continues from.
//
// Busy directories are listed rather than asked about name by name (DirectoryDemand):
// ListingFor() is how lookups and attribute refreshes ask for a directory's listing. It
// hands out the fresh cached one; without one, when the directory is in demand (a walk
// whose listing just expired, or a program opening many files of it by path), it lists the
// directory now (Start(): single flight, cached) and hands that out. A listing is never
// served past dir_cache_timeout: a busy directory is listed again instead.
//
// The local overlay (LocalChanges, local_changes.h): names this mount created, wrote,
// renamed or removed, remembered per directory until a listing agrees, since Swift
// listings are eventually consistent. It is merged into every whole listing as it enters
// the cache (Start, KeepProbe), and into the cached listing when a change is noted, so
// FreshListing() and lookups in it see the change at once and cost nothing more. Streamed
// chunks of a huge directory are handed out as Swift listed them (a readdir there may lag
// by Swift's container-update delay); lookups and getattr in it ask LocalChangeOf().
//
// INVARIANT: every listing in listings_ is a directory's whole listing, with the live
// local changes applied; a key is in
// starting_ exactly while one thread runs its listing, and a whole result is in
// listings_ (unless too large to cache or caching is off) before the key leaves it.
// Thread-safe. Lock order: mu_, then LocalChanges', the DirectoryCache's, FirstPageStore's
// and DirectoryDemand's mutexes (leaf locks); no lock is held across a listing request.

#include <chrono>
#include <future>
#include <string>
#include <unordered_map>

#include "core/directory_cache.h"
#include "core/directory_demand.h"
#include "core/directory_stream.h"
#include "core/first_page_store.h"
#include "core/listing_fetcher.h"
#include "core/local_changes.h"
#include "core/location.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

// Probe pages kept for the listing that follows a lookup (FirstPageStore).
inline constexpr size_t kFirstPagesKept = 64;

class DirectoryState {
 public:
  // `fetcher`, `clock` and `counters` must outlive the DirectoryState.
  DirectoryState(ListingFetcher& fetcher, Clock& clock, Counters& counters,
                 const FsOptions& options);

  // The fresh whole listing of the directory `prefix` of `container`, or null (never
  // fetches; a streamed directory never has one).
  ListingPtr FreshListing(const std::string& container, const std::string& prefix);
  ListingPtr FreshListing(const Location& dir) { return FreshListing(dir.container, dir.key); }
  // The listing a lookup or attribute refresh of a name in `dir` should use: the fresh
  // cached one, else one listed now when the directory is busy enough (see above), else
  // null (ask about the name). Counts the use. Errors are the listing's.
  Result<ListingPtr> ListingFor(const Location& dir);
  Result<ListingPtr> ListingFor(const std::string& container, const std::string& prefix);
  // Counts a use of the directory `prefix` of `container` that needed no listing (a name
  // whose attributes were still fresh), for ListingFor's demand.
  void NoteUse(const std::string& container, const std::string& prefix);
  // A lookup's probe found `dir` to be a directory, with `page` its first entries: the
  // whole listing when the page was complete (cached), else where the next listing
  // continues (kept briefly).
  void KeepProbe(const Location& dir, FirstPage page);

  // The beginning of `dir`'s listing: whole (from the cache, or listed and cached) when it
  // has at most stream_directory_entries entries, else its first chunk and where to go on.
  Result<ListingChunk> Start(const Location& dir);
  // The entries of `dir` for an open handle: Start(), and Start() again when the stream
  // restarts. The stream must not outlive this DirectoryState.
  Result<DirectoryStream> OpenStream(const Location& dir);
  // True when `listing` is older than dir_cache_timeout (a rewinddir lists again).
  bool Stale(const DirectoryListing& listing) const;

  size_t cached_entries() const { return listings_.cached_entries(); }

  // --- The local overlay (see above). Each call also updates the cached listing of the
  // directory the name is in, so the next lookup and readdir see the change.
  // A file committed by this mount: container/name now holds `attrs` (size, etag, mtime).
  void NoteWritten(const std::string& container, const std::string& name, const ObjectAttrs& attrs);
  // Any file or symlink entry at container/key (a rename's destination).
  void NotePresent(const std::string& container, const std::string& key, ListingEntry entry,
                   std::string content_type);
  // A directory created here: `prefix` ends in '/'; "" names the container itself.
  void NoteDirectory(const std::string& container, const std::string& prefix);
  // A name removed here (a directory's key ends in '/'; "" names the container). A
  // removed directory's own listing is dropped too.
  void NoteRemoved(const std::string& container, const std::string& key);
  // The live local change of container/key, if any (lookups and getattr that do not go
  // through a cached listing ask this first).
  std::optional<LocalChange> LocalChangeOf(const std::string& container, const std::string& key) {
    return changes_.Find(container, key);
  }
  LocalChanges& local_changes() { return changes_; }

 private:
  using Flight = std::shared_future<Result<ListingChunk>>;

  // Lists `dir` (no lock held): whole, or the first chunk of a huge directory.
  Result<ListingChunk> List(const Location& dir, const std::string& key);
  // Tells demand_ what listing `key` (begun at `started`) cost (`result` of List).
  void NoteListed(const std::string& key, Clock::MonoTime started,
                  const Result<ListingChunk>& result);
  size_t StreamThreshold() const;
  // Re-applies the overlay to the cached listing of `dir_key`, if there is one.
  void RefreshCachedLocked(const std::string& dir_key) REQUIRES(mu_);

  ListingFetcher& fetcher_;
  Clock& clock_;
  const std::chrono::steady_clock::duration ttl_;
  const size_t stream_entries_;
  DirectoryCache listings_;
  FirstPageStore first_pages_;
  DirectoryDemand demand_;
  LocalChanges changes_;

  Mutex mu_;  // before listings_'s and first_pages_'s (private there, so not ACQUIRED_BEFORE)
  std::unordered_map<std::string, Flight> starting_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
