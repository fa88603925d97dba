#include "support/fake_http_client.h"

namespace swiftfs::testing {

http::Response Reply(int status, std::string body,
                     std::vector<std::pair<std::string, std::string>> headers) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  response.body_bytes = response.body.size();
  for (auto& [name, value] : headers) response.headers.Add(std::move(name), std::move(value));
  return response;
}

void FakeHttpClient::SetHandler(Handler handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

void FakeHttpClient::Enqueue(Result<http::Response> response) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(response));
}

Result<http::Response> FakeHttpClient::Send(const http::Request& request) {
  std::optional<Result<http::Response>> answer;
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    http::Request copy = request;
    copy.sink = nullptr;
    // A body_view points into the caller's memory, gone after Send(): keep its bytes.
    if (!copy.body_view.empty()) {
      copy.body.assign(copy.body_view.data(), copy.body_view.size());
      copy.body_view = {};
    }
    requests_.push_back(std::move(copy));
    if (!queue_.empty()) {
      answer.emplace(std::move(queue_.front()));
      queue_.pop_front();
    } else {
      handler = handler_;
    }
  }
  // The handler runs unlocked so it may block (single-flight tests) or call back in.
  if (!answer) {
    if (!handler) {
      return MakeError(ErrorCode::kConnectionFailed, "FakeHttpClient: no response scripted");
    }
    answer.emplace(handler(request));
  }
  if (!answer->ok() || request.sink == nullptr) return std::move(*answer);
  http::Response response = std::move(**answer);
  const bool cut_off = response.headers.Has(kCutOffHeader);
  if (cut_off) {
    http::Headers kept;
    for (const auto& [name, value] : response.headers.All()) {
      if (!EqualsIgnoreCase(name, kCutOffHeader)) kept.Add(name, value);
    }
    response.headers = std::move(kept);
  }
  request.sink->Begin(response.status, response.headers);
  // Like CurlHttpClient: no Write() for an empty body, and kRange when the sink overflowed.
  if (!response.body.empty() &&
      !request.sink->Write(std::span<const char>(response.body.data(), response.body.size()))) {
    if (request.sink->overflowed()) {
      return MakeError(ErrorCode::kRange, "response body larger than the buffer");
    }
    return MakeError(ErrorCode::kCancelled, "sink refused the body");
  }
  if (cut_off) return MakeError(ErrorCode::kConnectionFailed, "connection reset mid-body");
  response.body.clear();
  return response;
}

std::vector<http::Request> FakeHttpClient::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t FakeHttpClient::RequestCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

size_t FakeHttpClient::CountRequests(http::Method method, std::string_view url_part) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& r : requests_) {
    if (r.method == method && r.url.find(url_part) != std::string::npos) ++n;
  }
  return n;
}

void FakeHttpClient::ClearRequests() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.clear();
}

}  // namespace swiftfs::testing
