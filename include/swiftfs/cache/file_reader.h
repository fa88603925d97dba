#pragma once
// FileReader: reads one version (etag) of one object for one open file handle. The core
// creates one per open(); implementations decide how much to fetch ahead.
// SimpleFileReader does exact-size ranged GETs with a small read-ahead;
// the Prefetcher (prefetcher.h) detects sequential streams and fetches ahead in parallel.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

struct ObjectVersion {
  std::string container;
  std::string name;
  std::string etag;  // every ranged GET carries If-Match: etag (when not empty)
  uint64_t size = 0;

  bool operator==(const ObjectVersion&) const = default;
};

// Bytes read without copying them: `pieces`, in order, point into buffers that `owner`
// keeps alive and unchanged for as long as the ReadView exists. The FUSE adapter hands the
// pieces to the kernel in one writev, so data fetched into a prefetched part goes from
// there to the kernel with no copy in between.
struct ReadView {
  std::vector<std::span<const char>> pieces;
  std::shared_ptr<const void> owner;

  size_t size() const;
};

class FileReader {
 public:
  virtual ~FileReader() = default;
  // Reads up to buffer.size() bytes at `offset`; short only at end of object.
  // kPreconditionFailed when the object no longer matches the etag. Thread-safe.
  // `cancel` (a FUSE interrupt), when it becomes true, makes the read stop waiting and
  // abort its GETs: it fails with kCancelled promptly.
  virtual Result<size_t> Read(uint64_t offset, std::span<char> buffer,
                              const std::atomic<bool>* cancel = nullptr) = 0;
  // Like Read, but the bytes may stay where the reader holds them. This default reads into
  // a new buffer that the view owns; readers with buffers of their own return those.
  virtual Result<ReadView> ReadInPlace(uint64_t offset, size_t size,
                                       const std::atomic<bool>* cancel = nullptr);
  // A hint from a cache in front of this reader: the bytes from `end` on are held there,
  // so fetching ahead of the reads should stop at `end` (reads of them are still
  // answered); UINT64_MAX: no limit. Holds until called again. This default ignores it.
  virtual void LimitReadAhead(uint64_t /*end*/) {}
};

struct ListedPosition;  // listing_order.h

// The bytes of a version the write path just committed, where it still holds them: fills
// `out` with the bytes at `offset` and returns true, or returns false when it does not
// hold all of them (parts never written locally, a copy given up for space).
using CommittedBytes = std::function<bool(uint64_t offset, std::span<char> out)>;

// The bytes of a file being written in order (a streamed upload), offered as they pass,
// before the version they will be exists, to a factory that keeps versions' bytes (the
// disk cache), so that a file too large to keep locally until its commit is still cached.
// Destroyed without Commit (the upload failed, was abandoned or left streaming), whatever
// it took is dropped. Called by one owner at a time (the upload, under its lock).
class PendingVersion {
 public:
  virtual ~PendingVersion() = default;
  // Bytes [offset, offset + bytes->size()) of the file, each byte offered once; shared, not
  // copied, with the upload of the same bytes. Never blocks on the disk: what cannot be
  // taken at once is not cached.
  virtual void Add(uint64_t offset, std::shared_ptr<const std::string> bytes) = 0;
  // The upload committed `version` (its ETag as a HEAD or GET of it reports it, its size,
  // where it was published): what was taken becomes that version's. May block for local
  // disk writes, never for the network.
  virtual void Commit(const ObjectVersion& version) = 0;
};

class FileReaderFactory {
 public:
  virtual ~FileReaderFactory() = default;
  virtual std::unique_ptr<FileReader> Open(const ObjectVersion& version) = 0;
  // Open() of a file the core found at `where` in its directory's fresh listing: a factory
  // that reads ahead across files watches these for opens in listing order. The reader
  // still reads `version` only (If-Match): bytes fetched ahead are handed over only when
  // they are of exactly that version. This default ignores `where`.
  virtual std::unique_ptr<FileReader> OpenListed(const ObjectVersion& version,
                                                 const ListedPosition& where);
  // The write path committed `version` (its new ETag and size); `bytes` gives its content
  // where the writer still holds it, and is valid only during the call. A factory that
  // keeps versions' bytes (the disk cache) takes what it can, so that reading the file back
  // costs no GET; it may block for local disk writes, never for the network. This default
  // takes nothing. Called with no lock of the caller held; thread-safe.
  virtual void Committed(const ObjectVersion& version, const CommittedBytes& bytes);
  // A file about to be written in order to `container`/`name`: where its bytes may go as
  // they pass (see PendingVersion). This default (and a factory that keeps nothing):
  // nullptr. Thread-safe.
  virtual std::unique_ptr<PendingVersion> BeginVersion(const std::string& container,
                                                       const std::string& name);
  // For a lookup that needs what only a HEAD tells (the metadata of mtime=meta): a factory
  // that fetches a small `version` whole returns the reply's object headers (what HEAD
  // gives) and keeps the bytes for an open of exactly that version, so the file costs one
  // request, not two. nullopt: not done here (too large, not worth it now, no memory, or the
  // object changed since it was listed): HEAD instead. An error is the GET's (kNotFound:
  // the object is gone). Never follows a symlink for the caller: ask only for objects a
  // listing showed as plain files. `cancel` (the lookup's FUSE interrupt, null: never)
  // ends the wait with kCancelled and aborts a GET this call made. This default does
  // nothing. Thread-safe.
  virtual std::optional<Result<swift::ObjectInfo>> FetchForLookup(const ObjectVersion& version,
                                                                  const std::atomic<bool>* cancel);

  // A small version fetched whole into memory: the reply's object headers and its bytes,
  // which `owner` keeps alive and unchanged.
  struct WholeObject {
    swift::ObjectInfo info;
    std::span<const char> bytes;
    std::shared_ptr<const void> owner;
  };
  // One GET of the whole of a small `version` (If-Match on its etag), not kept anywhere:
  // for a factory in front of this one that keeps bytes itself (FetchToStore). nullopt:
  // not done here (too large, no memory, no usable headers, or the object changed since
  // it was listed): HEAD instead. An error is the GET's. Same rules as FetchForLookup
  // otherwise. This default does nothing. Thread-safe.
  virtual std::optional<Result<WholeObject>> FetchWhole(const ObjectVersion& version);
  // For a stat pass that runs far ahead of its opens (rsync's first pass stats a whole
  // directory before it reads a file, too far ahead for FetchForLookup's bodies): a factory
  // that keeps bytes on local disk, when asked to (-o fetch_on_stat), fetches a small
  // `version` whole, stores it there and returns the reply's object headers, so that the
  // file costs one request and the open that follows none. nullopt: not done (not asked to,
  // held already, too large, no memory): HEAD instead. Errors and rules as FetchWhole's.
  // This default does nothing. Thread-safe.
  virtual std::optional<Result<swift::ObjectInfo>> FetchToStore(const ObjectVersion& version);
  // Whether FetchToStore fetches at all (-o fetch_on_stat): then a stat's metadata should
  // come through it rather than through FetchForLookup, whose bodies wait in memory for an
  // open that rsync's first pass makes too late. This default: false.
  virtual bool FetchesOnStat() const;

  // Whether a local copy (the disk cache) holds every byte of a version.
  using HeldLocally = std::function<bool(const ObjectVersion&)>;
  // A factory in front of this one that serves such versions itself says so here, once,
  // before the first open: one that reads ahead across files then skips them (their
  // reads never reach it). `held` is called with the factory's locks held: it may take
  // only leaf locks. This default ignores it.
  virtual void SkipHeldLocally(const HeldLocally& held);
};

}  // namespace swiftfs::cache
