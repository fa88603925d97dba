#include "swiftfs/swift/retrying_object_client.h"

#include <algorithm>

namespace swiftfs::swift {

namespace {

using std::chrono::milliseconds;

std::string Millis(milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

bool IsRetryable(const Error& error) {
  switch (error.code) {
    case ErrorCode::kServerError:
    case ErrorCode::kTooManyRequests:
    case ErrorCode::kTimeout:
    case ErrorCode::kConnectionFailed:
      return true;
    default:
      return false;
  }
}

RetryingObjectClient::RetryingObjectClient(ObjectClient& inner, Clock& clock, Counters& counters,
                                           Logger& logger, RetryPolicy policy)
    : inner_(inner),
      clock_(clock),
      counters_(counters),
      logger_(logger),
      policy_(policy),
      rng_(static_cast<std::minstd_rand::result_type>(policy.seed != 0 ? policy.seed
                                                                       : std::random_device{}())) {}

milliseconds RetryingObjectClient::Backoff(uint32_t retry) {
  // initial * 2^retry, without overflowing for large retry counts.
  milliseconds base = policy_.initial_backoff;
  for (uint32_t i = 0; i < retry && base < policy_.max_backoff; ++i) base *= 2;
  base = std::min(base, policy_.max_backoff);
  const double jitter = std::clamp(policy_.jitter, 0.0, 1.0);
  const auto low = static_cast<milliseconds::rep>(static_cast<double>(base.count()) * (1 - jitter));
  MutexLock lock(rng_mu_);
  std::uniform_int_distribution<milliseconds::rep> pick(low, base.count());
  return milliseconds(pick(rng_));
}

bool RetryingObjectClient::PauseBeforeRetry(const std::string& what, const Error& error,
                                            uint32_t failures, Clock::MonoTime deadline) {
  if (failures > policy_.max_retries) {
    logger_.Warning(what + ": giving up after " + std::to_string(failures) +
                    " attempts in a row: " + error.ToString());
    return false;
  }
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock_.Monotonic());
  // A server's Retry-After is honoured, up to a cap; a longer one is cut to the cap.
  const milliseconds asked = std::min(error.retry_after, policy_.max_retry_after);
  const milliseconds pause = std::max(Backoff(failures - 1), asked);
  if (pause >= left) {
    logger_.Warning(what + ": giving up, the next attempt (in " + Millis(pause) +
                    (asked > milliseconds{0} ? ", as the server asked" : "") + ") would pass the " +
                    Millis(policy_.op_timeout) + " operation deadline: " + error.ToString());
    return false;
  }
  logger_.Warning(what + ": retry " + std::to_string(failures) + "/" +
                  std::to_string(policy_.max_retries) + " in " + Millis(pause) + " after " +
                  error.ToString());
  counters_.Add(Counter::kRetries);
  clock_.SleepFor(pause);
  return true;
}

template <typename T, typename Describe, typename Call>
Result<T> RetryingObjectClient::Run(Describe describe, Call call) {
  const Clock::MonoTime deadline = clock_.Monotonic() + policy_.op_timeout;
  for (uint32_t failures = 1;; ++failures) {
    Result<T> result = call();
    if (result.ok() || !IsRetryable(result.error())) return result;
    if (!PauseBeforeRetry(describe(), result.error(), failures, deadline)) return result;
  }
}

Result<ClusterInfo> RetryingObjectClient::GetClusterInfo() {
  return Run<ClusterInfo>([] { return std::string("GET /info"); },
                          [&] { return inner_.GetClusterInfo(); });
}

Result<AccountInfo> RetryingObjectClient::HeadAccount() {
  return Run<AccountInfo>([] { return std::string("HEAD account"); },
                          [&] { return inner_.HeadAccount(); });
}

Result<ContainerPage> RetryingObjectClient::ListContainers(const std::string& marker,
                                                           uint32_t limit) {
  return Run<ContainerPage>([] { return std::string("GET account listing"); },
                            [&] { return inner_.ListContainers(marker, limit); });
}

Result<ContainerEntry> RetryingObjectClient::HeadContainer(const std::string& container) {
  return Run<ContainerEntry>([&] { return "HEAD " + container; },
                             [&] { return inner_.HeadContainer(container); });
}

Result<ListPage> RetryingObjectClient::ListObjects(const ListRequest& request) {
  return Run<ListPage>([&] { return "GET " + request.container + " listing"; },
                       [&] { return inner_.ListObjects(request); });
}

Result<ObjectInfo> RetryingObjectClient::HeadObject(const std::string& container,
                                                    const std::string& name) {
  return Run<ObjectInfo>([&] { return "HEAD " + container + "/" + name; },
                         [&] { return inner_.HeadObject(container, name); });
}

Result<ReadResult> RetryingObjectClient::GetRange(const std::string& container,
                                                  const std::string& name, uint64_t offset,
                                                  std::span<char> buffer,
                                                  const std::string& if_match) {
  return GetRange(container, name, offset, buffer, if_match, ReadControl{});
}

Result<ReadResult> RetryingObjectClient::GetRange(const std::string& container,
                                                  const std::string& name, uint64_t offset,
                                                  std::span<char> buffer,
                                                  const std::string& if_match,
                                                  const ReadControl& control) {
  const Clock::MonoTime deadline = clock_.Monotonic() + policy_.op_timeout;
  auto what = [&] { return "GET " + container + "/" + name; };
  ReadResult total;       // what the attempts so far placed in buffer[0, total.bytes)
  uint32_t failures = 0;  // attempts in a row that brought no byte
  while (total.bytes < buffer.size()) {
    if (Cancelled(control)) return MakeError(ErrorCode::kCancelled, what() + ": interrupted");
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - clock_.Monotonic());
    if (left <= milliseconds{0}) {
      return MakeError(ErrorCode::kTimeout,
                       what() + ": no complete answer within the " + Millis(policy_.op_timeout) +
                           " operation deadline (" + std::to_string(total.bytes) + " of " +
                           std::to_string(buffer.size()) + " bytes read)",
                       0, container + "/" + name);
    }
    ReadControl attempt = control;
    attempt.timeout = attempt.timeout.count() > 0 ? std::min(attempt.timeout, left) : left;
    Result<ReadResult> got = inner_.GetRange(container, name, offset + total.bytes,
                                             buffer.subspan(total.bytes), if_match, attempt);
    if (!got) {
      if (!IsRetryable(got.error())) return got;
      if (!PauseBeforeRetry(what(), got.error(), ++failures, deadline)) return got;
      continue;
    }
    if (got->object_size) total.object_size = got->object_size;
    total.bytes += got->bytes;
    if (got->complete) break;
    if (total.object_size && offset + total.bytes >= *total.object_size) break;
    if (got->bytes > 0) {
      failures = 0;
      counters_.Add(Counter::kRetries);
      logger_.Debug(what() + ": reply ended after " + std::to_string(got->bytes) +
                    " bytes; asking for the remaining " +
                    std::to_string(buffer.size() - total.bytes));
      continue;  // progress: resume at once
    }
    const Error stuck = MakeError(ErrorCode::kBadResponse,
                                  what() + ": the server answered a range with no data at " +
                                      std::to_string(offset + total.bytes),
                                  0, container + "/" + name);
    if (!PauseBeforeRetry(what(), stuck, ++failures, deadline)) return stuck;
  }
  total.complete = true;
  return total;
}

}  // namespace swiftfs::swift
