#pragma once
// IdentityClient: how every authenticator talks to the identity service. It adds what all
// of them need and nothing more: a deadline per request, a count of token requests
// (Counter::kAuthRequests, one per request sent, retries included), and bounded retries of
// 429 and 5xx answers that honour Retry-After (seconds or an HTTP date). Sleeps go through the
// injected Clock, so tests check backoff with a FakeClock and never wait. Transport errors
// are not retried: an unreachable identity service should be reported at once.
//
// A value type holding references; copyable, thread-compatible (no state of its own).

#include <chrono>
#include <string>

#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::auth {

struct RetryPolicy {
  int max_attempts = 4;
  std::chrono::milliseconds initial_backoff{1000};  // doubled after each attempt
  std::chrono::milliseconds max_single_delay{30'000};
  std::chrono::milliseconds max_total_delay{60'000};
  std::chrono::milliseconds request_timeout{30'000};
};

class IdentityClient {
 public:
  IdentityClient(http::HttpClient& http, Clock& clock, Logger& logger, Counters& counters,
                 RetryPolicy policy = {})
      : http_(&http), clock_(&clock), logger_(&logger), counters_(&counters), policy_(policy) {}

  // Sends a request that asks for a token; counted in Counter::kAuthRequests. Returns the
  // last response (any status) or the transport error. `what` names the request in log
  // lines, e.g. "POST http://keystone/v3/auth/tokens"; it must not contain a secret.
  Result<http::Response> SendTokenRequest(http::Request request, const std::string& what);
  // Any other request (version discovery): retried the same way, not counted.
  Result<http::Response> Send(http::Request request, const std::string& what);
  // A request whose outcome nobody waits for (revocation at unmount): one attempt of at
  // most kBestEffortTimeout, no retry, not counted. A sick identity service (seen: Keystone
  // answering 500 "database is locked" after 5 s to every DELETE) must not hold the
  // daemon's exit through four attempts and their backoff.
  Result<http::Response> SendOnce(http::Request request, const std::string& what);
  static constexpr std::chrono::milliseconds kBestEffortTimeout{5'000};

  Clock& clock() const { return *clock_; }
  Logger& logger() const { return *logger_; }

 private:
  Result<http::Response> SendWithRetries(http::Request request, const std::string& what,
                                         bool is_token_request);
  // The delay a 429/5xx asks for: Retry-After when present and sane, else `backoff`.
  std::chrono::milliseconds DelayFor(const http::Response& response,
                                     std::chrono::milliseconds backoff) const;

  http::HttpClient* http_;
  Clock* clock_;
  Logger* logger_;
  Counters* counters_;
  RetryPolicy policy_;
};

}  // namespace swiftfs::auth
