#include "swiftfs/swift/retrying_object_client.h"

#include <algorithm>

#include "swiftfs/common/strings.h"

namespace swiftfs::swift {

namespace {

using std::chrono::milliseconds;

std::string Millis(milliseconds d) { return std::to_string(d.count()) + " ms"; }

// An attempt that failed this way may still have taken effect on Swift (its reply was lost,
// or a proxy gave up while the object servers finished). A 429 was refused before any work.
bool MayHaveTakenEffect(const Error& error) {
  switch (error.code) {
    case ErrorCode::kServerError:
    case ErrorCode::kTimeout:
    case ErrorCode::kConnectionFailed:
      return true;
    default:
      return false;
  }
}

bool SameSegments(const std::vector<SloSegment>& a, const std::vector<SloSegment>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].path != b[i].path || !EqualsIgnoreCase(a[i].etag, b[i].etag) ||
        a[i].size_bytes != b[i].size_bytes || a[i].range != b[i].range) {
      return false;
    }
  }
  return true;
}

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
    if (got->info && !total.info) total.info = std::move(got->info);  // the first reply's
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

// --- Writes (see the header for why each is safe to repeat) ---

template <typename T, typename Describe, typename Call, typename AfterLostReply>
Result<T> RetryingObjectClient::RunWrite(Describe describe, Call call,
                                         AfterLostReply after_lost_reply) {
  bool lost_reply = false;
  return Run<T>(describe, [&]() -> Result<T> {
    Result<T> result = call();
    if (result.ok()) return result;
    if (lost_reply && !IsRetryable(result.error())) return after_lost_reply(result.error());
    if (MayHaveTakenEffect(result.error())) lost_reply = true;
    return result;
  });
}

Result<WriteResult> RetryingObjectClient::ExistsOrOurs(
    const Error& exists, const std::string& container, const std::string& name,
    const std::function<bool(const ObjectInfo&)>& matches) {
  auto info = inner_.HeadObject(container, name);
  if (!info) {
    Error error = exists;
    error.message += " (an earlier attempt's reply was lost; checking whether this is its " +
                     std::string("write failed: ") + info.error().ToString() + ")";
    return error;
  }
  if (!matches(*info)) return exists;
  logger_.Debug(container + "/" + name +
                ": the name is taken by the write whose reply was lost: done");
  WriteResult result;
  result.etag = info->etag;
  result.last_modified = info->last_modified;
  return result;
}

Result<WriteResult> RetryingObjectClient::UploadObject(const ObjectWrite& write,
                                                       std::span<const char> body) {
  return RunWrite<WriteResult>(
      [&] { return "PUT " + write.container + "/" + write.name; },
      [&] { return inner_.UploadObject(write, body); },
      [&](const Error& error) -> Result<WriteResult> {
        if (error.code != ErrorCode::kExists || !write.if_none_match || write.etag.empty()) {
          return error;
        }
        return ExistsOrOurs(error, write.container, write.name, [&](const ObjectInfo& info) {
          return !info.is_slo && EqualsIgnoreCase(info.etag, write.etag);
        });
      });
}

Result<WriteResult> RetryingObjectClient::UploadManifest(const ObjectWrite& write,
                                                         const std::vector<SloSegment>& segments) {
  return RunWrite<WriteResult>(
      [&] { return "PUT " + write.container + "/" + write.name + " manifest"; },
      [&] { return inner_.UploadManifest(write, segments); },
      [&](const Error& error) -> Result<WriteResult> {
        if (error.code != ErrorCode::kExists || !write.if_none_match) return error;
        return ExistsOrOurs(error, write.container, write.name, [&](const ObjectInfo& info) {
          if (!info.is_slo) return false;
          auto stored = inner_.GetManifest(write.container, write.name);
          return stored.ok() && SameSegments(*stored, segments);
        });
      });
}

Result<std::vector<SloSegment>> RetryingObjectClient::GetManifest(const std::string& container,
                                                                  const std::string& name) {
  return Run<std::vector<SloSegment>>([&] { return "GET " + container + "/" + name + " manifest"; },
                                      [&] { return inner_.GetManifest(container, name); });
}

Status RetryingObjectClient::DeleteObject(const std::string& container, const std::string& name,
                                          DeleteMode mode) {
  return RunWrite<void>([&] { return "DELETE " + container + "/" + name; },
                        [&] { return inner_.DeleteObject(container, name, mode); },
                        [&](const Error& error) -> Status {
                          if (error.code != ErrorCode::kNotFound) return error;
                          logger_.Debug("DELETE " + container + "/" + name +
                                        ": gone after an attempt whose reply was lost: done");
                          return OkStatus();
                        });
}

Result<WriteResult> RetryingObjectClient::CopyObject(const std::string& source_container,
                                                     const std::string& source_name,
                                                     const ObjectWrite& destination) {
  return RunWrite<WriteResult>(
      [&] {
        return "COPY " + source_container + "/" + source_name + " to " + destination.container +
               "/" + destination.name;
      },
      [&] { return inner_.CopyObject(source_container, source_name, destination); },
      [&](const Error& error) -> Result<WriteResult> {
        if (error.code != ErrorCode::kExists || !destination.if_none_match) return error;
        auto source = inner_.HeadObject(source_container, source_name);
        if (!source) return error;
        return ExistsOrOurs(
            error, destination.container, destination.name, [&](const ObjectInfo& info) {
              return EqualsIgnoreCase(info.etag, source->etag) &&
                     (destination.etag.empty() || EqualsIgnoreCase(info.etag, destination.etag));
            });
      });
}

Status RetryingObjectClient::PostObject(const std::string& container, const std::string& name,
                                        const std::map<std::string, std::string>& metadata,
                                        const std::string& content_type) {
  return Run<void>([&] { return "POST " + container + "/" + name; },
                   [&] { return inner_.PostObject(container, name, metadata, content_type); });
}

Status RetryingObjectClient::PutContainer(const std::string& container) {
  return Run<void>([&] { return "PUT " + container; },
                   [&] { return inner_.PutContainer(container); });
}

Status RetryingObjectClient::DeleteContainer(const std::string& container) {
  return RunWrite<void>([&] { return "DELETE " + container; },
                        [&] { return inner_.DeleteContainer(container); },
                        [&](const Error& error) -> Status {
                          if (error.code != ErrorCode::kNotFound) return error;
                          return OkStatus();  // gone after an attempt whose reply was lost
                        });
}

}  // namespace swiftfs::swift
