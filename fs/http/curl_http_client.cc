// CurlHttpClient: one blocking curl_easy_perform per Send(), on a pooled easy handle that is
// configured from scratch for every request. A pooled handle keeps the connections it opened,
// so the next request on it reuses them; DNS answers and TLS sessions are shared by all
// handles through a CurlShare. No lock is held during a transfer: the pool's mutex guards
// only its idle list, and the share's mutexes are taken by libcurl for short cache lookups.
//
// What this file decides: which libcurl options a request gets (timeouts, TLS, HTTP/1.1, no
// redirects, keep-alive), how a finished transfer becomes a Response or an Error (callback
// aborts first, then libcurl's code, then a body shorter than its Content-Length), and the
// one debug line per request (method, host, path, status, bytes, time; never a header value,
// query string or body).

#include "swiftfs/http/curl_http_client.h"

#include <curl/curl.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>

#include "curl_errors.h"
#include "curl_share.h"
#include "easy_handle_pool.h"
#include "request_headers.h"
#include "response_collector.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/common/version.h"

namespace swiftfs::http {

namespace {

// Idle connections one easy handle keeps: enough for the hosts a handle talks to (identity
// service, storage proxy, maybe a second region) without hoarding sockets.
constexpr long kConnectionsPerHandle = 4;

// Sets options in sequence and remembers the first failure, so a long list of setopt calls
// needs one check at the end.
class OptionSetter {
 public:
  explicit OptionSetter(CURL* easy) : easy_(easy) {}
  template <typename T>
  void operator()(CURLoption option, T value) {
    if (first_error_ == CURLE_OK) first_error_ = curl_easy_setopt(easy_, option, value);
  }
  CURLcode first_error() const { return first_error_; }

 private:
  CURL* easy_;
  CURLcode first_error_ = CURLE_OK;
};

bool HasHttpScheme(std::string_view url) {
  return (url.size() > 7 && EqualsIgnoreCase(url.substr(0, 7), "http://")) ||
         (url.size() > 8 && EqualsIgnoreCase(url.substr(0, 8), "https://"));
}

// A response whose status allows no body (RFC 9110 6.4.1), or to a HEAD.
bool MayHaveBody(Method method, int status) {
  return method != Method::kHead && status >= 200 && status != 204 && status != 304;
}

// What the progress callback watches: libcurl calls it at least once a second, also while
// no byte moves, so a stalled transfer is aborted promptly when either flag is set.
struct StopFlags {
  const std::atomic<bool>* cancel = nullptr;    // this request (a FUSE interrupt)
  const std::atomic<bool>* shutdown = nullptr;  // the whole stack (unmount)

  static bool Set(const std::atomic<bool>* flag) {
    return flag != nullptr && flag->load(std::memory_order_relaxed);
  }
  bool stop() const { return Set(cancel) || Set(shutdown); }

  static int Callback(void* userdata, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const StopFlags*>(userdata)->stop() ? 1 : 0;
  }
};

std::string FormatMillis(curl_off_t micros) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(micros) / 1000.0);
  return buf;
}

}  // namespace

class CurlHttpClient::Impl {
 public:
  Impl(CurlOptions options, Logger& logger, std::unique_ptr<CurlShare> share)
      : options_(std::move(options)),
        user_agent_(options_.user_agent.empty() ? std::string("swiftfs/") + kVersion
                                                : options_.user_agent),
        logger_(logger),
        share_(std::move(share)),
        pool_(*share_, options_.max_idle_handles) {}

  Result<Response> Send(const Request& request);
  uint64_t connections_opened() const {
    return connections_opened_.load(std::memory_order_relaxed);
  }

 private:
  CURLcode Configure(CURL* easy, const Request& request, const curl_slist* headers,
                     ResponseCollector& collector, StopFlags& stop, char* error_buffer) const;
  static Error Stopped(const StopFlags& stop, const std::string& what);
  Result<Response> Finish(const Request& request, const std::string& what, CURLcode code,
                          const char* error_buffer, ResponseCollector& collector) const;
  void LogResult(const std::string& what, const Result<Response>& result, bool new_connection,
                 curl_off_t micros) const;

  const CurlOptions options_;
  const std::string user_agent_;
  Logger& logger_;
  // Declared before pool_: every pooled handle is cleaned up before the share.
  const std::unique_ptr<CurlShare> share_;
  EasyHandlePool pool_;
  std::atomic<uint64_t> connections_opened_{0};
};

CURLcode CurlHttpClient::Impl::Configure(CURL* easy, const Request& request,
                                         const curl_slist* headers, ResponseCollector& collector,
                                         StopFlags& stop, char* error_buffer) const {
  OptionSetter set(easy);
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  // Encoded object names may contain "/../"; they are names, not paths to normalise.
  set(CURLOPT_PATH_AS_IS, 1L);
  // Signals are not an option in a multi-threaded FUSE daemon; timeouts still work.
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_MAXCONNECTS, kConnectionsPerHandle);
  set(CURLOPT_BUFFERSIZE, options_.receive_buffer_bytes);
  set(CURLOPT_USERAGENT, user_agent_.c_str());
  // Proxies are taken from the environment (http_proxy, https_proxy, no_proxy) as curl(1)
  // does; no cookies, no content decoding (bodies arrive exactly as stored).

  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  set(CURLOPT_LOW_SPEED_LIMIT, request.slow_reply ? 0L : options_.low_speed_limit);
  set(CURLOPT_LOW_SPEED_TIME,
      request.slow_reply ? 0L : static_cast<long>(options_.low_speed_time.count()));
  if (request.timeout.count() > 0) {
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  }

  set(CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) set(CURLOPT_CAINFO, options_.ca_file.c_str());

  set(CURLOPT_HTTPHEADER, headers);
  set(CURLOPT_HEADERFUNCTION, static_cast<curl_write_callback>(&ResponseCollector::HeaderCallback));
  set(CURLOPT_HEADERDATA, static_cast<void*>(&collector));
  set(CURLOPT_WRITEFUNCTION, static_cast<curl_write_callback>(&ResponseCollector::WriteCallback));
  set(CURLOPT_WRITEDATA, static_cast<void*>(&collector));
  set(CURLOPT_NOPROGRESS, 0L);
  set(CURLOPT_XFERINFOFUNCTION, static_cast<curl_xferinfo_callback>(&StopFlags::Callback));
  set(CURLOPT_XFERINFODATA, static_cast<void*>(&stop));

  switch (request.method) {
    case Method::kGet:
      set(CURLOPT_HTTPGET, 1L);
      break;
    case Method::kHead:
      set(CURLOPT_NOBODY, 1L);
      break;
    default:
      set(CURLOPT_CUSTOMREQUEST, std::string(MethodName(request.method)).c_str());
      break;
  }
  if (SendsBody(request)) {
    // The body is sent from the caller's memory (body or body_view), which outlives the
    // transfer: POSTFIELDS does not copy. Size first: the body may contain NUL bytes.
    const std::span<const char> body = RequestBody(request);
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    set(CURLOPT_POSTFIELDS, body.data());
  }
  return set.first_error();
}

Result<Response> CurlHttpClient::Impl::Send(const Request& request) {
  const std::string what = std::string(MethodName(request.method)) + " " +
                           (request.log_url.empty() ? UrlForLog(request.url) : request.log_url);
  if (!HasHttpScheme(request.url)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     what + ": URL must start with http:// or https://");
  }
  if ((request.method == Method::kGet || request.method == Method::kHead) &&
      !RequestBody(request).empty()) {
    return MakeError(ErrorCode::kInvalidArgument, what + ": a GET or HEAD cannot carry a body");
  }
  Result<CurlSlist> headers = BuildHeaderList(request);
  if (!headers) {
    return MakeError(headers.error().code, what + ": " + headers.error().message);
  }
  StopFlags stop{request.cancel, options_.shutdown};
  if (stop.stop()) return Stopped(stop, what);
  Result<PooledEasyHandle> easy = pool_.Acquire();
  if (!easy) return easy.error();

  ResponseCollector collector(request.sink, request.max_body_bytes, options_.max_header_bytes);
  char error_buffer[CURL_ERROR_SIZE] = {};
  if (const CURLcode set =
          Configure(easy->get(), request, headers->get(), collector, stop, error_buffer);
      set != CURLE_OK) {
    return MakeError(ErrorCode::kInternal,
                     what + ": setting curl options failed: " + curl_easy_strerror(set));
  }
  const CURLcode code = curl_easy_perform(easy->get());
  // libcurl closes the connection of an aborted transfer; the handle is fine to reuse.
  if (code == CURLE_ABORTED_BY_CALLBACK && stop.stop()) return Stopped(stop, what);

  long new_connections = 0;
  curl_easy_getinfo(easy->get(), CURLINFO_NUM_CONNECTS, &new_connections);
  connections_opened_.fetch_add(static_cast<uint64_t>(new_connections), std::memory_order_relaxed);
  curl_off_t micros = 0;
  curl_easy_getinfo(easy->get(), CURLINFO_TOTAL_TIME_T, &micros);

  Result<Response> result = Finish(request, what, code, error_buffer, collector);
  LogResult(what, result, new_connections > 0, micros);
  return result;
}

Error CurlHttpClient::Impl::Stopped(const StopFlags& stop, const std::string& what) {
  return MakeError(ErrorCode::kCancelled,
                   what + (StopFlags::Set(stop.shutdown) ? ": stopped, swiftfs is shutting down"
                                                         : ": interrupted"));
}

Result<Response> CurlHttpClient::Impl::Finish(const Request& request, const std::string& what,
                                              CURLcode code, const char* error_buffer,
                                              ResponseCollector& collector) const {
  // A callback's own reason comes first: libcurl reports all of them as a write error.
  switch (collector.abort_reason()) {
    case ResponseCollector::Abort::kNone:
      break;
    case ResponseCollector::Abort::kSinkRefused:
      return MakeError(ErrorCode::kCancelled, what + ": the receiver stopped the transfer");
    case ResponseCollector::Abort::kSinkOverflowed:
      return MakeError(ErrorCode::kRange, what + ": response body larger than the buffer");
    case ResponseCollector::Abort::kSinkThrew:
      return MakeError(ErrorCode::kInternal, what + ": the body receiver threw an exception");
    case ResponseCollector::Abort::kOutOfMemory:
      return MakeError(ErrorCode::kInternal, what + ": out of memory receiving the response");
    case ResponseCollector::Abort::kBodyTooLarge:
      return MakeError(ErrorCode::kBadResponse, what + ": response body larger than the " +
                                                    std::to_string(request.max_body_bytes) +
                                                    "-byte cap");
    case ResponseCollector::Abort::kHeadersTooLarge:
      return MakeError(ErrorCode::kBadResponse, what + ": response headers larger than the " +
                                                    std::to_string(options_.max_header_bytes) +
                                                    "-byte cap");
  }
  if (code != CURLE_OK) return TransportError(code, what, error_buffer);

  // libcurl already fails a transfer cut short of its Content-Length (CURLE_PARTIAL_FILE);
  // this check keeps a short body from ever passing as a complete one.
  const std::optional<uint64_t> expected = collector.content_length();
  if (expected && MayHaveBody(request.method, collector.status()) &&
      *expected != collector.body_bytes()) {
    return MakeError(ErrorCode::kConnectionFailed,
                     what + ": response body has " + std::to_string(collector.body_bytes()) +
                         " bytes, Content-Length says " + std::to_string(*expected));
  }
  if (!collector.Finish()) {
    return MakeError(ErrorCode::kInternal, what + ": the body receiver threw an exception");
  }
  Response response;
  response.status = collector.status();
  response.body_bytes = collector.body_bytes();
  response.headers = collector.TakeHeaders();
  response.body = collector.TakeBody();
  return response;
}

void CurlHttpClient::Impl::LogResult(const std::string& what, const Result<Response>& result,
                                     bool new_connection, curl_off_t micros) const {
  if (!logger_.Enabled(LogLevel::kDebug)) return;
  std::string line = "http " + what;
  if (result) {
    line += " -> " + std::to_string(result->status) + ", " + std::to_string(result->body_bytes) +
            " bytes";
  } else {
    line += " failed (" + std::string(ErrorCodeName(result.error().code)) + ")";
  }
  line += ", " + FormatMillis(micros);
  if (new_connection) line += ", new connection";
  logger_.Debug(line);
}

CurlHttpClient::CurlHttpClient(CurlOptions options, Logger& logger) {
  Result<std::unique_ptr<CurlShare>> share = CurlShare::Create();
  // Start-up failure (out of memory): the one place this class throws.
  if (!share) throw std::runtime_error(share.error().message);
  impl_ = std::make_unique<Impl>(std::move(options), logger, std::move(*share));
}

CurlHttpClient::~CurlHttpClient() = default;

Result<Response> CurlHttpClient::Send(const Request& request) { return impl_->Send(request); }

uint64_t CurlHttpClient::connections_opened() const { return impl_->connections_opened(); }

}  // namespace swiftfs::http
