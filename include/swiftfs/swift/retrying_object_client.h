#pragma once
// RetryingObjectClient: an ObjectClient decorator that retries transient failures with
// bounded exponential backoff and jitter. Bounded twice over, because the caller is often
// a FUSE worker thread that a user is waiting on: a fixed number of retries, each sleep
// capped, and the total sleep of one call capped.
//
// Retried: kServerError (5xx), kTooManyRequests (429/498), kTimeout (transport timeouts
// and 408), kConnectionFailed. Never retried: every other 4xx (404, 401, 403, 412, 416, ...)
// and local errors. A Retry-After from the server (Error::retry_after) sets the pause when
// it is longer than the backoff; if it exceeds what the caps allow, the call gives up at
// once rather than retrying too early.
//
// GetRange is safe to retry: every attempt rewrites the caller's buffer from its start.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

struct RetryPolicy {
  uint32_t max_retries = 3;                            // attempts = 1 + max_retries
  std::chrono::milliseconds initial_backoff{100};      // before the first retry, doubling after
  std::chrono::milliseconds max_backoff{2'000};        // cap of one pause
  std::chrono::milliseconds max_total_backoff{5'000};  // cap of all pauses of one call
  // Each pause is drawn uniformly from [backoff * (1 - jitter), backoff]: spreads the
  // retries of many threads that failed together.
  double jitter = 0.5;
  uint64_t seed = 0;  // 0: seeded from std::random_device
};

// True for the error codes the policy above retries.
bool IsRetryable(const Error& error);

class RetryingObjectClient final : public ObjectClient {
 public:
  // `inner`, `clock`, `counters` and `logger` must outlive this object.
  RetryingObjectClient(ObjectClient& inner, Clock& clock, Counters& counters, Logger& logger,
                       RetryPolicy policy = {});

  Result<ClusterInfo> GetClusterInfo() override;
  Result<AccountInfo> HeadAccount() override;
  Result<ContainerPage> ListContainers(const std::string& marker, uint32_t limit) override;
  Result<ContainerEntry> HeadContainer(const std::string& container) override;
  Result<ListPage> ListObjects(const ListRequest& request) override;
  Result<ObjectInfo> HeadObject(const std::string& container, const std::string& name) override;
  Result<ReadResult> GetRange(const std::string& container, const std::string& name,
                              uint64_t offset, std::span<char> buffer,
                              const std::string& if_match) override;

 private:
  // Runs `call` until it succeeds, fails for good, or the policy's bounds are reached.
  // `describe` names the request in log lines; it runs only when something failed.
  template <typename T, typename Describe, typename Call>
  Result<T> Run(Describe describe, Call call);

  // The pause before retry number `retry` (0-based), before Retry-After and caps.
  std::chrono::milliseconds Backoff(uint32_t retry);

  ObjectClient& inner_;
  Clock& clock_;
  Counters& counters_;
  Logger& logger_;
  const RetryPolicy policy_;

  Mutex rng_mu_;
  std::minstd_rand rng_ GUARDED_BY(rng_mu_);
};

}  // namespace swiftfs::swift
