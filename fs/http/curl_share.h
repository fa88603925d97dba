#pragma once
// CurlShare: one CURLSH shared by every easy handle of a client, so that DNS answers, TLS
// sessions and open connections found by one transfer serve the next, whichever handle
// and thread runs it. libcurl serialises access to each kind of shared data through our
// lock callbacks; each kind has its own std::mutex so a DNS lookup never waits for a
// connection-cache search. libcurl never locks one kind recursively.

#include <curl/curl.h>

#include <array>
#include <mutex>

#include "curl_handles.h"
#include "swiftfs/common/result.h"

namespace swiftfs::http {

class CurlShare {
 public:
  // Creates the share with DNS, SSL-session and connection sharing, or an kInternal error.
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
