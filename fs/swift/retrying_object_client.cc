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

template <typename T, typename Describe, typename Call>
Result<T> RetryingObjectClient::Run(Describe describe, Call call) {
  milliseconds slept{0};
  for (uint32_t retry = 0;; ++retry) {
    Result<T> result = call();
    if (result.ok() || !IsRetryable(result.error())) return result;
    const Error& error = result.error();
    const std::string what = describe();
    if (retry >= policy_.max_retries) {
      logger_.Warning(what + ": giving up after " + std::to_string(retry + 1) +
                      " attempts: " + error.ToString());
      return result;
    }
    const milliseconds budget = policy_.max_total_backoff - slept;
    if (budget <= milliseconds{0}) {
      logger_.Warning(what + ": giving up after " + std::to_string(retry + 1) + " attempts and " +
                      Millis(slept) + " of backoff: " + error.ToString());
      return result;
    }
    milliseconds pause = std::max(Backoff(retry), error.retry_after);
    if (error.retry_after > std::min(policy_.max_backoff, budget)) {
      logger_.Warning(what + ": server asked to retry after " + Millis(error.retry_after) +
                      ", longer than we may wait: " + error.ToString());
      return result;
    }
    pause = std::min({pause, policy_.max_backoff, budget});
    logger_.Warning(what + ": retry " + std::to_string(retry + 1) + "/" +
                    std::to_string(policy_.max_retries) + " in " + Millis(pause) + " after " +
                    error.ToString());
    counters_.Add(Counter::kRetries);
    clock_.SleepFor(pause);
    slept += pause;
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
  return Run<ReadResult>(
      [&] { return "GET " + container + "/" + name; },
      [&] { return inner_.GetRange(container, name, offset, buffer, if_match); });
}

}  // namespace swiftfs::swift
