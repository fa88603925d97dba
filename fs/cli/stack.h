#pragma once
// Stack: the real component graph of a mount, built in dependency order by Build() and
// destroyed in reverse (members are declared in build order):
//
//   CurlHttpClient -> TokenProvider -> SwiftClient -> RetryingObjectClient
//                                                       -> Prefetcher (reader factory)
//                                                       -> [CachingReaderFactory over a
//                                                           DiskCache, with cache_dir=]
//                                                       -> core::Filesystem
//   [DiskVersionMetadataStore in the cache_dir, with cache_dir=] -> core::Filesystem
//
// The disk cache's directory is opened and locked in Build(), so that a cache_dir another
// mount holds is refused before mounting; its threads (start-up scan, writer) start with the
// prefetcher, after the fork, when the account (the storage URL that keys its blocks) is
// known. The version metadata store (what HEADs told, kept across remounts) is built with
// the disk cache, whose lock guards its file too, and opened then as well: SQLite
// connections must not cross the fork, and its rows are keyed by the account.
//
// With cache_dir and no staging_dir, the staging area of files being written is
// cache_dir/staging and shares the cache's space budget (cache::SharedSpace). Committed
// files reach the disk cache through the reader factory (FileReaderFactory::Committed).
//
// The prefetcher owns a thread pool, and fork() keeps only the calling thread, so it is
// started by StartPrefetcher() after the daemon has forked; until then the Filesystem's
// reader factory has nothing to forward to (nothing is read before the mount serves). The
// token provider's renewal thread is started then too (TokenProvider::StartBackgroundRenewal).

#include <atomic>
#include <memory>

#include "cli/deferred_reader_factory.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/auth/token_provider.h"
#include "swiftfs/cache/caching_reader_factory.h"
#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/cache/disk_version_store.h"
#include "swiftfs/cache/prefetcher.h"
#include "swiftfs/cli/options.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/core/filesystem.h"
#include "swiftfs/http/curl_http_client.h"
#include "swiftfs/swift/retrying_object_client.h"
#include "swiftfs/swift/swift_client.h"

namespace swiftfs::cli {

class Stack {
 public:
  // Builds every component; no network I/O yet. kConfig when the auth configuration
  // cannot work. `logger` must outlive the stack; so must a CurlGlobal.
  static Result<std::unique_ptr<Stack>> Build(const CliOptions& options,
                                              const auth::AuthConfig& auth, Logger& logger);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  // Starts the prefetcher's threads (after daemonizing). Call once.
  void StartPrefetcher();
  // Unmount: aborts every HTTP transfer in flight and fails new ones (kCancelled), so that
  // nothing stuck on a stalled server holds up the FUSE loop's exit. Thread-safe.
  void AbortTransfers() { shutdown_.store(true); }
  // Once the FUSE loop has ended: waits for the prefetcher's threads to give up (at once:
  // their transfers are aborted), then lets requests through again, for the token's
  // revocation after unmount.
  void FinishAbort();

  auth::TokenProvider& tokens() { return *tokens_; }
  swift::ObjectClient& objects() { return *retrying_; }
  core::Filesystem& filesystem() { return *filesystem_; }
  Clock& clock() { return clock_; }
  const Counters& counters() const { return counters_; }

 private:
  Stack(const CliOptions& options, Logger& logger);

  const CliOptions options_;
  Logger& logger_;
  cache::PrefetchOptions prefetch_options_;
  SystemClock clock_;
  Counters counters_;
  std::atomic<bool> shutdown_{false};  // read by the HTTP client's progress callback
  std::unique_ptr<http::CurlHttpClient> http_;
  std::unique_ptr<auth::TokenProvider> tokens_;
  std::unique_ptr<swift::SwiftClient> swift_;
  std::unique_ptr<swift::RetryingObjectClient> retrying_;
  std::unique_ptr<cache::DiskCache> disk_cache_;               // before its readers: outlives them
  std::unique_ptr<cache::DiskVersionMetadataStore> versions_;  // cache_dir=; outlives filesystem_
  DeferredReaderFactory readers_;
  std::unique_ptr<cache::Prefetcher> prefetcher_;         // after readers_: outlives no reader
  std::unique_ptr<cache::CachingReaderFactory> caching_;  // over prefetcher_ and disk_cache_
  std::unique_ptr<core::Filesystem> filesystem_;          // destroyed first: frees its readers
};

}  // namespace swiftfs::cli
