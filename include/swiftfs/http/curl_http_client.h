#pragma once
// CurlHttpClient: HttpClient over libcurl. A pool of easy handles (one in use per request,
// returned after, each keeping its own open connections) keeps connections alive between
// requests; a CURLSH shares the DNS cache and TLS sessions among them. libcurl 7.88 does not
// support a connection cache shared between threads, so connections are not shared. TLS
// peers are verified unless told otherwise.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "swiftfs/common/log.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::http {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer slower than low_speed_limit bytes/s for low_speed_time is aborted (kTimeout).
  long low_speed_limit = 1024;
  std::chrono::seconds low_speed_time{30};
  bool verify_tls = true;  // never off unless the user asked (-o insecure)
  std::string ca_file;     // PEM bundle to trust instead of the system store
  std::string user_agent;  // defaults to "swiftfs/<version>"
  // Idle easy handles kept for reuse; each keeps its open connections (a few per host), so
  // this also bounds idle connections. Surplus handles are freed with their connections.
  size_t max_idle_handles = 64;
  // Receive buffer per transfer (CURLOPT_BUFFERSIZE): large buffers mean fewer, larger
  // Write() calls on big downloads.
  long receive_buffer_bytes = 512L * 1024;
  // Largest total of response header lines of one transfer (interim responses included);
  // more fails the request with kBadResponse. Swift's largest headers (metadata, 90 fields
  // of 256 bytes) stay far below it.
  size_t max_header_bytes = size_t{256} * 1024;
  // Stack-wide stop: once it is true every transfer in flight is aborted within about a
  // second and new ones fail at once (kCancelled), so that unmount never waits for a
  // stalled server. Not owned; null for none.
  const std::atomic<bool>* shutdown = nullptr;
};

// Calls curl_global_init once; construct it in main() before any thread starts and keep it
// alive for the life of the process (RAII: the destructor calls curl_global_cleanup).
class CurlGlobal {
 public:
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient(CurlOptions options, Logger& logger);
  ~CurlHttpClient() override;
  // Thread-safe. See HttpClient::Send; no redirects are followed (a 3xx is a response).
  Result<Response> Send(const Request& request) override;

  // Connections opened so far (for tests of keep-alive and for counters).
  uint64_t connections_opened() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace swiftfs::http
