#pragma once
// CurlShare: one CURLSH shared by every easy handle of a client, so that DNS answers and TLS
// sessions found by one transfer serve the next, whichever handle and thread runs it (a new
// connection then resumes a TLS session instead of a full handshake). libcurl serialises
// access to each kind of shared data through our lock callbacks; each kind has its own
// std::mutex so a DNS lookup never waits for a session-cache search. libcurl never locks
// one kind recursively.
//
// Connections are deliberately NOT shared (CURL_LOCK_DATA_CONNECT): libcurl 7.88, the
// version Debian 12 ships, documents a shared connection cache as unsupported between
// concurrent threads. Each pooled easy handle keeps its own connections instead (see
// easy_handle_pool.h).

#include <curl/curl.h>

#include <array>
#include <mutex>

#include "curl_handles.h"
#include "swiftfs/common/result.h"

namespace swiftfs::http {

class CurlShare {
 public:
  // Creates the share with DNS and SSL-session sharing, or a kInternal error.
  static Result<std::unique_ptr<CurlShare>> Create();

  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;
  // Every easy handle attached with Attach() must have been cleaned up before.
  ~CurlShare() = default;

  // Attaches `easy` to the share (CURLOPT_SHARE).
  Status Attach(CURL* easy) const;

 private:
  CurlShare() = default;

  // libcurl C callbacks; `userptr` is this CurlShare. noexcept: they never unwind into C.
  static void Lock(CURL* easy, curl_lock_data data, curl_lock_access access,
                   void* userptr) noexcept;
  static void Unlock(CURL* easy, curl_lock_data data, void* userptr) noexcept;
  std::mutex& MutexFor(curl_lock_data data);

  // One mutex per curl_lock_data value; CURL_LOCK_DATA_SHARE guards the share itself.
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
  // Declared after the mutexes: destroyed first, while the callbacks can still lock.
  CurlShareHandle share_;
};

}  // namespace swiftfs::http
