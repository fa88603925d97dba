#pragma once
// VersionFetcher: the metadata of object versions (cache::VersionMetadataStore), fetched
// with HEADs when the store does not know them yet, so that `-o mtime=meta` costs one HEAD
// per object version ever, not one per stat, and runs at close to listing speed.
//
// Design: one flight per version at a time, shared by everyone who needs it. Prefetch
// queues versions a caller will soon need (the entries after the one `ls -l` just
// stat'ed) for a bounded pool of worker threads; Get answers from the store, else waits
// for the flight in progress, else runs the HEAD on the caller's thread, taking the
// version out of the queue if it was waiting there (a caller never waits behind the
// queue). The workers start on the first Prefetch, so a mount that never needs metadata
// has no thread for it. The queue is bounded (kMaxQueued): past it, Prefetch queues
// nothing more and Get fetches inline.
//
// A HEAD may find another version than the one asked for (the object was overwritten
// since it was listed): its metadata is stored under its own key and returned, but not
// under the key asked for, so the store never holds a wrong answer.
//
// INVARIANT: a key is in flights_ from the moment it is queued or started until its
// result is in the store (when it succeeded) and its future is ready; a flight is run by
// exactly one thread (the one that set `started`).
// Thread-safe. Lock order: mu_, then the store's own lock (so "neither stored nor in
// flight" is one decision: a flight stores its answer before it leaves flights_, and a
// version is never fetched twice). No HEAD and no wait runs under mu_.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/version_metadata.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// A version to fetch ahead, and how: `file_size` is its size when the listing showed a
// plain file (0 otherwise, or for an empty one): such a version may be fetched whole
// instead of HEADed (FileReaderFactory::FetchToStore).
struct WantedVersion {
  cache::VersionKey key;
  uint64_t file_size = 0;
};

class VersionFetcher {
 public:
  // Versions queued at most; beyond, Prefetch drops (Get still fetches them).
  static constexpr size_t kMaxQueued = 4096;

  // `client` and `store` must outlive the fetcher; `workers` threads fetch queued versions
  // (0: Prefetch does nothing). `bodies` (null: none; else it must outlive the fetcher) may
  // fetch a queued plain file whole instead of a HEAD, and keep its bytes (FetchToStore).
  VersionFetcher(swift::ObjectClient& client, cache::VersionMetadataStore& store, size_t workers,
                 cache::FileReaderFactory* bodies = nullptr);
  ~VersionFetcher();  // stops and joins the workers; queued versions are dropped
  VersionFetcher(const VersionFetcher&) = delete;
  VersionFetcher& operator=(const VersionFetcher&) = delete;

  // Queues those of `wanted` neither stored nor in flight; returns at once.
  void Prefetch(const std::vector<WantedVersion>& wanted);
  // The metadata of the version `key` (see above for a HEAD that finds another version).
  // Errors are the HEAD's (kNotFound: the object is gone). `file_size`: as
  // WantedVersion's, for a fetch this call starts.
  Result<cache::VersionMetadata> Get(const cache::VersionKey& key, uint64_t file_size = 0);
  // When `key` is queued or being fetched: that HEAD's answer (waited for; run here if it
  // had not started), which is as fresh as a HEAD sent now. Else nullopt, no request.
  // For a stat that must revalidate a listed version whose HEAD readdirplus queued.
  std::optional<Result<swift::ObjectInfo>> Join(const cache::VersionKey& key);
  // True when `key` is stored or being fetched (no request).
  bool Requested(const cache::VersionKey& key);
  // Remembers what a HEAD made elsewhere told about `name` in `container`.
  void Record(const std::string& container, const std::string& name, const swift::ObjectInfo& head);

 private:
  using Answer = Result<swift::ObjectInfo>;  // the HEAD itself
  struct Flight {
    explicit Flight(cache::VersionKey k, uint64_t size = 0)
        : key(std::move(k)), file_size(size), done(promise.get_future().share()) {}
    const cache::VersionKey key;
    const uint64_t file_size;  // WantedVersion::file_size; 0: HEAD
    bool started = false;      // GUARDED_BY(VersionFetcher::mu_)
    std::promise<Answer> promise;
    std::shared_future<Answer> done;
  };

  // HEADs the flight's object (or fetches a plain file whole, see `bodies`), stores and
  // publishes the answer, ends the flight.
  void Run(const std::shared_ptr<Flight>& flight);
  void WorkerLoop();
  void StartWorkersLocked() REQUIRES(mu_);

  // The answer of a HEAD for the flight: from a whole fetch when `bodies_` does one.
  Answer Fetch(const Flight& flight);

  swift::ObjectClient& client_;
  cache::VersionMetadataStore& store_;
  cache::FileReaderFactory* const bodies_;
  const size_t workers_;
  Mutex mu_;
  std::condition_variable wake_;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_ GUARDED_BY(mu_);
  std::deque<std::shared_ptr<Flight>> queue_ GUARDED_BY(mu_);
  std::vector<std::thread> threads_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
