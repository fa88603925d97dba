#include "cli/stack.h"

#include <algorithm>

#include "swiftfs/auth/token_provider_factory.h"

namespace swiftfs::cli {

Stack::Stack(const CliOptions& options, Logger& logger) : options_(options), logger_(logger) {}

Stack::~Stack() = default;

Result<std::unique_ptr<Stack>> Stack::Build(const CliOptions& options, const auth::AuthConfig& auth,
                                            Logger& logger) {
  std::unique_ptr<Stack> stack(new Stack(options, logger));
  cache::PrefetchOptions& prefetch = stack->prefetch_options_;
  prefetch = options.prefetch;
  // A window below the starting one would be refused; starting smaller is what was meant.
  prefetch.window_min = std::min(prefetch.window_min, prefetch.window_max);
  if (auto valid = prefetch.Validate(); !valid) {
    return MakeError(ErrorCode::kConfig, "prefetch options: " + valid.error().message);
  }

  if (!options.disk_cache.dir.empty()) {
    auto cache = cache::DiskCache::Open(options.disk_cache, stack->counters_, logger);
    if (!cache) return std::move(cache).error();
    stack->disk_cache_ = std::move(*cache);
    cache::DiskVersionStoreOptions versions;
    versions.dir = options.disk_cache.dir;
    versions.memory_entries = options.fs.max_cached_entries;
    stack->versions_ = std::make_unique<cache::DiskVersionMetadataStore>(versions, logger);
  }

  http::CurlOptions curl;
  curl.connect_timeout = options.connect_timeout;
  curl.shutdown = &stack->shutdown_;
  curl.verify_tls = !options.insecure;
  curl.ca_file = auth.cacert;  // -o cacert=, OS_CACERT or clouds.yaml, merged by auth
  if (options.insecure) {
    logger.Warning("TLS certificate verification is off (-o insecure)");
  }
  stack->http_ = std::make_unique<http::CurlHttpClient>(curl, logger);

  auto tokens =
      auth::MakeTokenProvider(auth, *stack->http_, stack->clock_, logger, stack->counters_);
  if (!tokens) return std::move(tokens).error();
  stack->tokens_ = std::move(*tokens);

  swift::SwiftClientOptions swift_options;
  // One attempt of a HEAD or listing may not outlast the whole operation.
  swift_options.metadata_timeout = std::min(swift_options.metadata_timeout, options.op_timeout);
  stack->swift_ = std::make_unique<swift::SwiftClient>(*stack->http_, *stack->tokens_,
                                                       stack->counters_, logger, swift_options);
  swift::RetryPolicy retry;
  retry.op_timeout = options.op_timeout;
  stack->retrying_ = std::make_unique<swift::RetryingObjectClient>(*stack->swift_, stack->clock_,
                                                                   stack->counters_, logger, retry);
  core::FsOptions fs_options = options.fs;
  cache::SharedSpace* staging_space = nullptr;
  if (stack->disk_cache_ && fs_options.staging_dir.empty()) {
    // One local store: staged files live under cache_dir and take their bytes from the
    // cache's cap, so the cache evicts blocks to make room for them (never the reverse).
    fs_options.staging_dir = options.disk_cache.dir + "/staging";
    staging_space = stack->disk_cache_.get();
  }
  stack->filesystem_ = std::make_unique<core::Filesystem>(
      std::move(fs_options), *stack->retrying_, stack->readers_, stack->clock_, logger,
      stack->counters_, stack->versions_.get(), staging_space);
  return stack;
}

void Stack::FinishAbort() {
  shutdown_.store(true);
  if (prefetcher_) prefetcher_->WaitIdle();
  shutdown_.store(false);
}

void Stack::StartPrefetcher() {
  prefetcher_ =
      std::make_unique<cache::Prefetcher>(*retrying_, counters_, prefetch_options_, clock_);
  if (disk_cache_) {
    // Init() authenticated: the session is at hand, no request is made here.
    auto session = tokens_->Current();
    if (session) {
      disk_cache_->Start();
      versions_->Start(session->storage_url);
      caching_ = std::make_unique<cache::CachingReaderFactory>(
          *prefetcher_, *disk_cache_, counters_, session->storage_url,
          disk_cache_->options().fetch_on_stat);
      readers_.Attach(*caching_);
      return;
    }
    logger_.Warning("disk cache off: no session to key it by: " + session.error().message);
  }
  readers_.Attach(*prefetcher_);
}

}  // namespace swiftfs::cli
