#include "auth/identity_client.h"

#include <algorithm>
#include <charconv>

#include "swiftfs/common/strings.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

namespace {

using std::chrono::milliseconds;

bool IsRetryable(int status) {
  // 501 and 505 describe what the server can never do; retrying cannot help.
  return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

std::string Seconds(milliseconds d) {
  return std::to_string(d.count() / 1000) + "." + std::to_string((d.count() % 1000) / 100) + " s";
}

}  // namespace

Result<http::Response> IdentityClient::SendTokenRequest(http::Request request,
                                                        const std::string& what) {
  return SendWithRetries(std::move(request), what, /*is_token_request=*/true);
}

Result<http::Response> IdentityClient::Send(http::Request request, const std::string& what) {
  return SendWithRetries(std::move(request), what, /*is_token_request=*/false);
}

Result<http::Response> IdentityClient::SendOnce(http::Request request, const std::string& what) {
  if (request.timeout.count() == 0) request.timeout = policy_.request_timeout;
  request.timeout = std::min(request.timeout, kBestEffortTimeout);
  Result<http::Response> response = http_->Send(request);
  if (response && IsRetryable(response->status)) {
    logger_->Debug("identity service answered HTTP " + std::to_string(response->status) + " to " +
                   what + "; not retried (best effort)");
  }
  return response;
}

Result<http::Response> IdentityClient::SendWithRetries(http::Request request,
                                                       const std::string& what,
                                                       bool is_token_request) {
  if (request.timeout.count() == 0) request.timeout = policy_.request_timeout;
  milliseconds backoff = policy_.initial_backoff;
  milliseconds slept{0};
  for (int attempt = 1;; ++attempt) {
    if (is_token_request) counters_->Add(Counter::kAuthRequests);
    Result<http::Response> response = http_->Send(request);
    if (!response || !IsRetryable(response->status) || attempt >= policy_.max_attempts) {
      return response;
    }
    const milliseconds delay = DelayFor(*response, backoff);
    if (slept + delay > policy_.max_total_delay) {
      logger_->Warning("identity service answered HTTP " + std::to_string(response->status) +
                       " to " + what + "; not retrying: the wait asked for (" + Seconds(delay) +
                       ") exceeds the retry budget");
      return response;
    }
    logger_->Warning("identity service answered HTTP " + std::to_string(response->status) + " to " +
                     what + "; retry " + std::to_string(attempt) + "/" +
                     std::to_string(policy_.max_attempts - 1) + " in " + Seconds(delay));
    counters_->Add(Counter::kRetries);
    clock_->SleepFor(delay);
    slept += delay;
    backoff = std::min(backoff * 2, policy_.max_single_delay);
  }
}

milliseconds IdentityClient::DelayFor(const http::Response& response, milliseconds backoff) const {
  milliseconds delay = backoff;
  if (auto header = response.headers.Get("Retry-After")) {
    const std::string_view text = TrimWhitespace(*header);
    long long secs = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), secs);
    if (ec == std::errc() && end == text.data() + text.size() && secs >= 0) {
      // Clamped before scaling: a huge value must not overflow into a negative delay.
      constexpr long long kMaxSeconds = milliseconds::max().count() / 1000;
      delay = milliseconds(std::min(secs, kMaxSeconds) * 1000);
    } else if (auto when = ParseHttpDate(text)) {
      delay = std::max(milliseconds(0),
                       std::chrono::duration_cast<milliseconds>(*when - clock_->Now()));
    }
    // An unparseable Retry-After falls back to our own backoff.
  }
  return std::min(delay, policy_.max_single_delay);
}

}  // namespace swiftfs::auth
