#pragma once
// HttpClient: the transport every upper layer talks through. The libcurl implementation is
// CurlHttpClient (curl_http_client.h); tests use FakeHttpClient (tests/support).
//
// Transport failures (refused, reset, timeout, TLS) are returned as an Error; any HTTP
// status, 4xx and 5xx included, is a successful Send() with that status in the response, so
// callers decide what a status means.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/common/result.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::http {

enum class Method { kGet, kHead, kPut, kPost, kDelete, kCopy };
std::string_view MethodName(Method m);

// Header fields, names compared case-insensitively; a name may repeat.
class Headers {
 public:
  void Add(std::string name, std::string value);
  // Replaces every field of that name.
  void Set(std::string name, std::string value);
  // First value of the field, or nullopt.
  std::optional<std::string> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // Every field in arrival order.
  const std::vector<std::pair<std::string, std::string>>& All() const { return fields_; }
  // Fields whose name starts with `prefix` (case-insensitive), e.g. "X-Object-Meta-".
  std::vector<std::pair<std::string, std::string>> WithPrefix(std::string_view prefix) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Receives a response body as it arrives. Write() returns false to abort the transfer
// (Send() then fails with kCancelled, or kRange if the sink overflowed).
class BodySink {
 public:
  virtual ~BodySink() = default;
  // Called before the first Write with the response status and headers, once per attempt.
  virtual void Begin(int /*status*/, const Headers& /*headers*/) {}
  virtual bool Write(std::span<const char> data) = 0;
  // True when Write() refused data because the sink is full: Send() then fails with kRange
  // instead of kCancelled.
  virtual bool overflowed() const { return false; }
};

// Writes into a caller-owned buffer; aborts if more bytes arrive than fit. Used to read
// object data straight into a FUSE reply buffer without an intermediate copy.
class BufferSink final : public BodySink {
 public:
  explicit BufferSink(std::span<char> buffer) : buffer_(buffer) {}
  bool Write(std::span<const char> data) override;
  size_t size() const { return used_; }
  bool overflowed() const override { return overflowed_; }

 private:
  std::span<char> buffer_;
  size_t used_ = 0;
  bool overflowed_ = false;
};

struct Request {
  Method method = Method::kGet;
  std::string url;  // absolute, already percent-encoded
  Headers headers;
  std::string body;  // request body for PUT/POST
  // A body the caller owns and keeps alive until Send() returns (object data, segments of
  // many MiB): sent from where it lies, never copied. When not empty it is sent instead of
  // `body`. Content-Length is its size.
  std::span<const char> body_view;
  // Where the response body goes. Null: collected into Response::body.
  BodySink* sink = nullptr;
  // Largest body collected into Response::body (sink == null): listings, identity answers,
  // /info, error pages. A longer one fails Send() with kBadResponse naming the cap, so a
  // hostile or broken server cannot make us buffer without bound. A sink bounds its own.
  static constexpr uint64_t kDefaultMaxBodyBytes = 64ull * 1024 * 1024;
  uint64_t max_body_bytes = kDefaultMaxBodyBytes;
  // Overall deadline for this request; zero means only the client's connect and
  // low-speed timeouts apply (right for large downloads).
  std::chrono::milliseconds timeout{0};
  // The server may work for minutes before it answers, sending a space now and then (a
  // heartbeat manifest PUT, a manifest DELETE): the client's low-speed abort is off for this
  // request, so `timeout` must bound it instead.
  bool slow_reply = false;
  // When set and it becomes true, the transfer is aborted within about a second and Send()
  // fails with kCancelled (a FUSE interrupt). Not owned; must outlive Send().
  const std::atomic<bool>* cancel = nullptr;
  // What logs and error messages show instead of the URL, for URLs that carry a secret
  // (Keystone v2.0 puts the token in the revocation path). Empty: UrlForLog(url).
  std::string log_url;
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;         // empty when a sink received the body
  uint64_t body_bytes = 0;  // bytes of body received (into body or the sink)
};

// The bytes a request sends: body_view when set, else body.
inline std::span<const char> RequestBody(const Request& request) {
  if (!request.body_view.empty()) return request.body_view;
  return {request.body.data(), request.body.size()};
}

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Performs one request, no retries. Thread-safe: many threads may Send() at once.
  // Returns the response for any HTTP status; an Error only for transport failures:
  // kTimeout, kConnectionFailed (refused, reset, closed mid-body, DNS), kTlsError,
  // kCancelled (the sink refused data, or Request::cancel), kInvalidArgument (bad URL),
  // kBadResponse (body or headers over their caps).
  // Error messages name the method and URL path but never header values.
  virtual Result<Response> Send(const Request& request) = 0;
};

// Percent-encodes every byte outside RFC 3986 unreserved characters, keeping '/' when
// `keep_slash` (for object paths). Byte-exact: every other byte becomes %XX.
std::string PercentEncode(std::string_view raw, bool keep_slash);

// "host[:port]/path" of an absolute URL, without scheme, user info, query or fragment (a
// query may carry a signature, user info a password): safe for logs and error messages.
std::string UrlForLog(std::string_view url);

}  // namespace swiftfs::http
