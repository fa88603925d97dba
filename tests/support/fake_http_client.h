#pragma once
// FakeHttpClient: an HttpClient that records every request and answers from a handler
// (or a queue of canned responses). A response body is delivered to the request's sink
// when it has one, exactly as the real client does. Thread-safe.
//
// A response carrying the header kCutOffHeader plays a connection reset mid-body: its body
// goes to the sink, then Send() fails with kConnectionFailed (the header itself is removed).

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "swiftfs/http/http_client.h"

namespace swiftfs::testing {

// Builds a response: Reply(200, "body", {{"X-Subject-Token", "abc"}}).
http::Response Reply(int status, std::string body = {},
                     std::vector<std::pair<std::string, std::string>> headers = {});

inline constexpr char kCutOffHeader[] = "X-Fake-Cut-Off";

class FakeHttpClient final : public http::HttpClient {
 public:
  using Handler = std::function<Result<http::Response>(const http::Request&)>;

  // Every request goes to `handler` (queued responses are used first, if any).
  void SetHandler(Handler handler);
  // Queues one response (or transport error) for the next request.
  void Enqueue(Result<http::Response> response);

  Result<http::Response> Send(const http::Request& request) override;

  // Copies of the requests received so far (sink pointers cleared; a body_view's bytes
  // copied into body).
  std::vector<http::Request> Requests() const;
  size_t RequestCount() const;
  // Requests whose method matches and whose URL contains `url_part`.
  size_t CountRequests(http::Method method, std::string_view url_part) const;
  void ClearRequests();

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::deque<Result<http::Response>> queue_;
  std::vector<http::Request> requests_;
};

}  // namespace swiftfs::testing
