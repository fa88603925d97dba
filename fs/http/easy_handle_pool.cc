#include "easy_handle_pool.h"

namespace swiftfs::http {

PooledEasyHandle::~PooledEasyHandle() {
  if (handle_) pool_->Release(std::move(handle_));
}

Result<PooledEasyHandle> EasyHandlePool::Acquire() {
  CurlEasyHandle handle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      handle = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!handle) {
    handle.reset(curl_easy_init());
    if (!handle) return MakeError(ErrorCode::kInternal, "curl_easy_init failed");
  }
  // Attached on every loan: curl_easy_reset keeps the share today, but re-attaching the
  // same share is cheap and does not depend on that detail.
  if (Status attached = share_.Attach(handle.get()); !attached) return attached.error();
  return PooledEasyHandle(*this, std::move(handle));
}

void EasyHandlePool::Release(CurlEasyHandle handle) {
  // Reset outside the lock: it frees the request's option copies.
  curl_easy_reset(handle.get());
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < max_idle_) {
      idle_.push_back(std::move(handle));
      return;
    }
  }
  // Surplus handle: cleaned up here, outside mu_ (cleanup takes the share's locks). Its
  // connections stay in the shared cache.
  handle.reset();
}

size_t EasyHandlePool::idle_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

}  // namespace swiftfs::http
