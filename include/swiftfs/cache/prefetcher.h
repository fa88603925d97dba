#pragma once
// Prefetcher: the FileReaderFactory for fast sequential reads.
//
// Each open file gets a reader that watches its read offsets. A few consecutive reads make a
// sequential stream (a file no larger than window_min is fetched whole by a first read at
// offset 0); from then on the reader keeps a read-ahead window of parts in flight
// ahead of the stream: ranged GETs (each with If-Match on the version's etag) that a shared,
// bounded thread pool fetches in parallel into their own buffers. A read takes its bytes
// from completed parts in order, waiting for a part still in flight: ReadInPlace hands out
// slices of the parts' buffers (no copy), Read copies them. The window starts at
// window_min and doubles each time the stream passes a whole part, up to window_max, so a
// short read costs little and a long one soon runs many GETs in parallel.
//
// A read that is not part of a stream (a seek) cancels the parts in flight and is served by
// one exact-size GET straight into the caller's buffer, so random readers fetch what they
// read. All parts of all files share one MemoryBudget; when it is used up, readers read
// directly instead of waiting. A part that fails with kPreconditionFailed (the object
// changed) fails the read: bytes of two versions are never mixed. Any other part failure is
// retried once as a direct read, whose error (if any) is returned.
//
// Closing or seeking does not interrupt a part's GET already on the wire: a cancelled part
// that has not started never starts, and one in flight is discarded, with its memory
// returned, when it completes. A read's `cancel` flag (a FUSE interrupt) does interrupt
// it: the read stops waiting for parts and aborts its own GETs (kCancelled). A read that
// needs a part no pool thread has started fetches it itself, so the parts of a stalled
// object queued ahead in the shared pool never hold up other files.
//
// Across files: OpenListed() tells the Prefetcher where the opened file stands in its
// directory's listing. When opens follow the listing order (rsync -a, cp -r, tar c), the
// next small files are fetched whole ahead of the reader, in parallel on threads of their
// own, and handed over at open as the reader's one part when the open pins exactly the
// version fetched (fs/cache/prefetch/tree_read_ahead.h); an open out of order drops them.
// A lookup that needs a small file's metadata may fetch it whole instead of a HEAD
// (FetchForLookup): the open that follows gets those bytes the same way.
//
// Thread-safety: Open() and the readers' Read() may be called from any thread, concurrently,
// also on one reader. Every reader must be destroyed before the Prefetcher.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/listing_order.h"
#include "swiftfs/cache/prefetch_memory_budget.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

struct PrefetchOptions {
  static constexpr uint64_t kMiB = uint64_t{1024} * 1024;

  uint64_t window_min = 1 * kMiB;   // read-ahead when a stream is detected
  uint64_t window_max = 64 * kMiB;  // read-ahead of a long stream
  // 16 MiB parts on 4 threads were measured faster than 8 MiB on 8: docs/benchmarks.md.
  uint64_t part_size = 16 * kMiB;       // largest single ranged GET
  uint32_t threads = 4;                 // fetch threads shared by all open files
  uint64_t memory_budget = 256 * kMiB;  // all prefetched parts of all files together
  // Reads in a row, each starting within start_slack of where the previous one ended, that
  // make a stream. Three keeps random readers from ever starting one by chance.
  uint32_t sequential_reads = 3;
  uint64_t start_slack = uint64_t{256} * 1024;
  // How far a read may land from the end of a stream's furthest read (or from its parts) and
  // still continue it: the kernel issues read-ahead requests concurrently, so they arrive
  // out of order. Prefetched parts this far behind the stream are also kept for them.
  uint64_t reorder_tolerance = 2 * kMiB;

  // Read-ahead across files (OpenListed; fs/cache/prefetch/tree_read_ahead.h): once
  // tree_sequential_opens opens in a row follow a directory's listing order, the next files
  // of at most tree_file_max bytes are fetched whole, up to tree_files files and tree_bytes
  // bytes ahead of the reader, on tree_threads threads of their own. tree_files = 0: off.
  uint32_t tree_files = 32;
  uint64_t tree_bytes = 16 * kMiB;
  uint64_t tree_file_max = 1 * kMiB;
  uint32_t tree_threads = 8;
  uint32_t tree_sequential_opens = 2;
  // Files fetched ahead of a walk that opened nothing for this long are dropped and their
  // memory returned (an interrupted copy must not keep tree_bytes reserved). The opens of a
  // walk come milliseconds apart; ten seconds also cover a large file streamed in between.
  std::chrono::steady_clock::duration tree_idle = std::chrono::seconds(10);

  // Lookups (FetchForLookup; fs/cache/prefetch/lookup_bodies.h): a file of at most
  // tree_file_max bytes whose metadata a lookup needs is fetched whole instead of HEADed,
  // and its bytes kept, at most lookup_bodies files and tree_idle long, for the open that
  // usually follows. 0: lookups never fetch bodies. Only a lookup that can be interrupted
  // asks (core passes the FUSE request's interrupt flag): a GET's body can stall after its
  // headers, where a HEAD returns, and Ctrl-C or an unmount must still end it.
  uint32_t lookup_bodies = 16;

  // kInvalidArgument naming the bad option, e.g. window_min > window_max or zero sizes.
  Status Validate() const;
};

class LookupBodies;
class ThreadPool;
class TreeReadAhead;
struct PrefetchContext;

class Prefetcher final : public FileReaderFactory {
 public:
  // `client` and `counters` must outlive the Prefetcher. Counts kPrefetchHits (reads served,
  // at least in part, from prefetched parts); kBytesServed is the Filesystem's to count,
  // whatever the reader. Options must be valid. `clock` (which must outlive the Prefetcher)
  // times idle walks (PrefetchOptions::tree_idle); without one, the system's clock does.
  Prefetcher(swift::ObjectClient& client, Counters& counters, PrefetchOptions options,
             Clock& clock);
  Prefetcher(swift::ObjectClient& client, Counters& counters, PrefetchOptions options);
  ~Prefetcher() override;
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // A reader of `version`; its size must be the object's real size (HEAD's for a DLO),
  // reads past it return 0 bytes without a request.
  std::unique_ptr<FileReader> Open(const ObjectVersion& version) override;
  // Open() that also follows walks of a directory in listing order and reads the next files
  // ahead (see PrefetchOptions::tree_files): the file's bytes, if fetched ahead as exactly
  // `version`, are handed to the reader (waited for when still in flight). Counts
  // kTreeReadAheadFiles, kTreeReadAheadHits and kTreeReadAheadWastedBytes.
  std::unique_ptr<FileReader> OpenListed(const ObjectVersion& version,
                                         const ListedPosition& where) override;
  // For a file of at most tree_file_max bytes: one GET of the whole object, or the one a
  // walk's read-ahead already made for exactly `version`, answers the lookup; the bytes
  // wait for the open (see PrefetchOptions::lookup_bodies). Counts kLookupGets.
  std::optional<Result<swift::ObjectInfo>> FetchForLookup(const ObjectVersion& version,
                                                          const std::atomic<bool>* cancel) override;
  // For a file of at most tree_file_max bytes: one GET of the whole object into a part
  // reserved from the prefetch memory budget (nullopt when the budget has no room), or the
  // part a walk's read-ahead already holds for exactly `version`.
  std::optional<Result<WholeObject>> FetchWhole(const ObjectVersion& version) override;
  // Read-ahead across files skips the versions `held` says a local copy holds.
  void SkipHeldLocally(const HeldLocally& held) override;

  // Bytes reserved by prefetched parts right now, and at most ever; for tests and stats.
  const MemoryBudget& budget() const;

  // Files fetched ahead of walks and not (yet) handed to an open; for tests.
  size_t files_ahead() const;

  // Blocks until no part fetch is queued or running (tests; shutdown).
  void WaitIdle();

 private:
  std::unique_ptr<Clock> own_clock_;  // the system's, when no clock was given
  std::unique_ptr<PrefetchContext> context_;
  std::unique_ptr<TreeReadAhead> tree_;   // after context_: its parts reserve from the budget
  std::unique_ptr<LookupBodies> bodies_;  // after context_, for the same reason
};

}  // namespace swiftfs::cache
