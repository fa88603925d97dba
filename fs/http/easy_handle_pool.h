#pragma once
// EasyHandlePool: easy handles for reuse across requests, which is what keeps connections
// alive. Each handle has its own connection cache and curl_easy_reset() keeps it, so a
// request that takes an idle handle reuses the connection that handle left open (a shared
// connection cache is not an option: see curl_share.h). A request takes one handle,
// configures it from scratch, performs, and gives it back; the handle is reset on return so
// an idle handle holds no pointer into a finished request. Handles are reused last-in
// first-out: the most recently used one has the connection least likely to have been closed
// by the server. At most `max_idle` handles are kept; extra ones are freed with their
// connections. So a client holds at most as many connections per host as it had requests in
// flight at once, bounded by max_idle when idle.

#include <curl/curl.h>

#include <mutex>
#include <vector>

#include "curl_handles.h"
#include "curl_share.h"
#include "swiftfs/common/result.h"

namespace swiftfs::http {

class EasyHandlePool;

// A handle on loan from the pool; returns it when destroyed. Move-only.
class PooledEasyHandle {
 public:
  PooledEasyHandle(EasyHandlePool& pool, CurlEasyHandle handle)
      : pool_(&pool), handle_(std::move(handle)) {}
  PooledEasyHandle(PooledEasyHandle&&) = default;
  PooledEasyHandle& operator=(PooledEasyHandle&&) = delete;
  ~PooledEasyHandle();

  CURL* get() const { return handle_.get(); }

 private:
  EasyHandlePool* pool_;
  CurlEasyHandle handle_;
};

class EasyHandlePool {
 public:
  // `share` must outlive the pool and every handle it lends.
  EasyHandlePool(const CurlShare& share, size_t max_idle) : share_(share), max_idle_(max_idle) {}
  EasyHandlePool(const EasyHandlePool&) = delete;
  EasyHandlePool& operator=(const EasyHandlePool&) = delete;

  // An idle handle, or a new one; either way with default options and attached to the
  // share. kInternal when libcurl cannot allocate one. Thread-safe.
  Result<PooledEasyHandle> Acquire();

  size_t idle_count() const;

 private:
  friend class PooledEasyHandle;
  // Resets the handle and keeps it if fewer than max_idle are idle. Thread-safe.
  void Release(CurlEasyHandle handle);

  const CurlShare& share_;
  const size_t max_idle_;
  mutable std::mutex mu_;
  std::vector<CurlEasyHandle> idle_;  // GUARDED_BY(mu_)
};

}  // namespace swiftfs::http
