#pragma once
// RetryingObjectClient: an ObjectClient decorator that retries transient failures with
// jittered exponential backoff, within an overall deadline per operation, because the
// caller is often a FUSE worker thread that a user is waiting on.
//
// Retried: kServerError (5xx), kTooManyRequests (429/498), kTimeout (transport timeouts
// and 408), kConnectionFailed. Never retried: every other 4xx (404, 401, 403, 412, 416, ...)
// and local errors. A Retry-After from the server (Error::retry_after) sets the pause when
// it is longer than the backoff, cut to max_retry_after; the call gives up only when that
// pause would pass the operation's deadline.
//
// An operation is one call: a HEAD or listing with its retries, or a GetRange with its
// retries and resumes. It fails with kTimeout once op_timeout has passed (measured on the
// injected Clock); every GET attempt gets what is left of it as its transfer timeout.
//
// GetRange completes short reads: when an attempt returns fewer bytes than asked while the
// object goes on (ReadResult::complete false: a short 206, a body cut off by a reset or an
// early close), it asks at once for exactly what is missing (Range from the byte reached,
// same If-Match), never again for what it already has; a failed attempt is retried after
// a backoff, also from the byte reached. max_retries bounds the attempts in a row that
// bring no byte; attempts that make progress are bounded by the deadline alone.
//
// Writes are retried on the same errors within the same deadline, because each is safe to
// send again with the same arguments: a PUT of the same bytes or the same manifest stores
// the same version again, a copy copies the same source again, a POST sets the same
// metadata, a container PUT answers 202 for one that exists. What a lost reply changes is
// the answer of the retry, when the lost attempt did take effect ("ambiguous" failures:
// kTimeout, kConnectionFailed, kServerError; a 429 never reached the object):
//  - DeleteObject / DeleteContainer: the retry finds nothing (kNotFound) and that means done:
//    success. A kNotFound on the first attempt, or after only unambiguous failures, is kept.
//  - UploadObject / UploadManifest with if_none_match: the retry sees the name taken by our
//    own write (kExists). The object is then checked: an UploadObject whose write.etag (the
//    body's MD5, which callers should always send) is the stored ETag, or a manifest whose
//    stored segments are ours (GetManifest), was our write: success, with the stored ETag.
//    Anything else, or a check that fails, stays kExists.
//  - CopyObject with if_none_match: likewise, success when the destination's ETag is the
//    source's (and destination.etag's, when given).
// The checks go to the inner client once, without retries of their own.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

struct RetryPolicy {
  // Attempts in a row without progress = 1 + max_retries. Ten: at 25 % failed attempts a
  // read fails with odds of about 1e-7; the deadline is the real bound.
  uint32_t max_retries = 10;
  std::chrono::milliseconds initial_backoff{100};     // before the first retry, doubling after
  std::chrono::milliseconds max_backoff{2'000};       // cap of one backoff pause
  std::chrono::milliseconds max_retry_after{30'000};  // cap of a pause a server asks for
  // Overall deadline of one operation (-o op_timeout), retries and resumes included.
  std::chrono::milliseconds op_timeout{60'000};
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
  Result<ReadResult> GetRange(const std::string& container, const std::string& name,
                              uint64_t offset, std::span<char> buffer, const std::string& if_match,
                              const ReadControl& control) override;

  Result<WriteResult> UploadObject(const ObjectWrite& write, std::span<const char> body) override;
  Result<WriteResult> UploadManifest(const ObjectWrite& write,
                                     const std::vector<SloSegment>& segments) override;
  Result<std::vector<SloSegment>> GetManifest(const std::string& container,
                                              const std::string& name) override;
  Status DeleteObject(const std::string& container, const std::string& name,
                      DeleteMode mode) override;
  Result<WriteResult> CopyObject(const std::string& source_container,
                                 const std::string& source_name,
                                 const ObjectWrite& destination) override;
  Status PostObject(const std::string& container, const std::string& name,
                    const std::map<std::string, std::string>& metadata,
                    const std::string& content_type) override;
  Status PutContainer(const std::string& container) override;
  Status DeleteContainer(const std::string& container) override;

 private:
  // Runs `call` until it succeeds, fails for good, or the policy's bounds are reached.
  // `describe` names the request in log lines; it runs only when something failed.
  template <typename T, typename Describe, typename Call>
  Result<T> Run(Describe describe, Call call);
  // Run for a write: once an attempt has failed ambiguously (it may have taken effect),
  // a later attempt's non-retryable error goes through `after_lost_reply`, which may turn
  // it into the success the lost reply would have been (see the class comment).
  template <typename T, typename Describe, typename Call, typename AfterLostReply>
  Result<T> RunWrite(Describe describe, Call call, AfterLostReply after_lost_reply);
  // A kExists after a lost reply: the write is ours when the stored object is `matches`.
  Result<WriteResult> ExistsOrOurs(const Error& exists, const std::string& container,
                                   const std::string& name,
                                   const std::function<bool(const ObjectInfo&)>& matches);

  // After `error` ended attempt number `failures` (1-based, in a row without progress):
  // sleeps and returns true to try again, or logs and returns false to give up.
  bool PauseBeforeRetry(const std::string& what, const Error& error, uint32_t failures,
                        Clock::MonoTime deadline);

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
