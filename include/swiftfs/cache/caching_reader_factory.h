#pragma once
// CachingReaderFactory: puts the DiskCache in front of another FileReaderFactory (the
// Prefetcher). Each reader serves the blocks the disk cache holds from disk, verified, and
// hands what it lacks to the inner reader, as if the cache were not there; the bytes the
// inner reader returns are gathered into whole blocks (BlockAssembler) and queued for the
// cache's writer thread, so the first read pays a copy, not a disk write. A read is always
// answered from one version: blocks are keyed by the ETag the reader was opened with and
// the inner reader reads with If-Match on it.
//
// Objects without an ETag are read through the inner reader only.
//
// Thread-safety: Open() and the readers' methods may be called from any thread. The
// cache, the inner factory and `counters` must outlive the factory and every reader.

#include <memory>
#include <span>
#include <string>

#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/counters.h"

namespace swiftfs::cache {

class CachingReaderFactory final : public FileReaderFactory {
 public:
  // `account` names the account (its storage URL): part of every block's key.
  // `fetch_on_stat`: FetchToStore fetches small files whole into the cache (-o fetch_on_stat).
  CachingReaderFactory(FileReaderFactory& inner, DiskCache& cache, Counters& counters,
                       std::string account, bool fetch_on_stat = false);
  ~CachingReaderFactory() override;  // the inner factory stops asking HoldsWhole

  std::unique_ptr<FileReader> Open(const ObjectVersion& version) override;
  std::unique_ptr<FileReader> OpenListed(const ObjectVersion& version,
                                         const ListedPosition& where) override;

  // Every block of `version` that `bytes` holds whole and the cache lacks (a PendingVersion
  // may have given it) is stored under the new ETag: queued
  // for the writer threads, or written here when the queue is full (so that a large file
  // is not cached in part), one block in memory at a time.
  void Committed(const ObjectVersion& version, const CommittedBytes& bytes) override;

  // A DraftVersion: the blocks of a file written in order are stored as they pass and
  // become the committed version's (see DiskCache::Draft).
  std::unique_ptr<PendingVersion> BeginVersion(const std::string& container,
                                               const std::string& name) override;

  // The inner factory's, unless the first block of `version` is on disk: then a HEAD
  // (nullopt) costs less than fetching bytes the cache already holds.
  std::optional<Result<swift::ObjectInfo>> FetchForLookup(const ObjectVersion& version,
                                                          const std::atomic<bool>* cancel) override;

  // With fetch_on_stat, unless the cache holds the whole of `version` already: the inner
  // factory's FetchWhole, every block stored (as Committed stores them), the headers
  // returned. Counts kStatFetches.
  std::optional<Result<swift::ObjectInfo>> FetchToStore(const ObjectVersion& version) override;
  bool FetchesOnStat() const override { return fetch_on_stat_; }

  DiskCache& cache() { return cache_; }

 private:
  // Whether the cache holds every block of `version` (the inner factory's read-ahead
  // across files skips those).
  bool HoldsWhole(const ObjectVersion& version) const;

  // Stores every block of `version` that `bytes` gives and the cache lacks: queued for the
  // writer threads, or written here when the queue is full.
  void StoreBlocks(const ObjectVersion& version, const CommittedBytes& bytes);

  // A CachingReader over `inner` for a version with an identity (ETag, size), else `inner`.
  std::unique_ptr<FileReader> Wrap(const ObjectVersion& version, std::unique_ptr<FileReader> inner);

  FileReaderFactory& inner_;
  DiskCache& cache_;
  Counters& counters_;
  const std::string account_;
  const bool fetch_on_stat_;
};

}  // namespace swiftfs::cache
