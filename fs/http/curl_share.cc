#include "curl_share.h"

namespace swiftfs::http {

Result<std::unique_ptr<CurlShare>> CurlShare::Create() {
  std::unique_ptr<CurlShare> share(new CurlShare());
  share->share_.reset(curl_share_init());
  if (!share->share_) return MakeError(ErrorCode::kInternal, "curl_share_init failed");
  CURLSH* raw = share->share_.get();
  bool ok = curl_share_setopt(raw, CURLSHOPT_LOCKFUNC, &CurlShare::Lock) == CURLSHE_OK &&
            curl_share_setopt(raw, CURLSHOPT_UNLOCKFUNC, &CurlShare::Unlock) == CURLSHE_OK &&
            curl_share_setopt(raw, CURLSHOPT_USERDATA, share.get()) == CURLSHE_OK;
  for (curl_lock_data data : {CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION}) {
    ok = ok && curl_share_setopt(raw, CURLSHOPT_SHARE, data) == CURLSHE_OK;
  }
  if (!ok) return MakeError(ErrorCode::kInternal, "curl_share_setopt failed");
  return share;
}

Status CurlShare::Attach(CURL* easy) const {
  if (curl_easy_setopt(easy, CURLOPT_SHARE, share_.get()) != CURLE_OK) {
    return MakeError(ErrorCode::kInternal, "CURLOPT_SHARE failed");
  }
  return OkStatus();
}

std::mutex& CurlShare::MutexFor(curl_lock_data data) {
  const auto index = static_cast<size_t>(data);
  // Unknown kinds (a newer libcurl) share the last slot rather than index out of bounds.
  return mutexes_[index < mutexes_.size() ? index : mutexes_.size() - 1];
}

void CurlShare::Lock(CURL* /*easy*/, curl_lock_data data, curl_lock_access /*access*/,
                     void* userptr) noexcept {
  // std::mutex::lock throws only on a broken system (EDEADLK, EINVAL); noexcept turns that
  // into std::terminate instead of unwinding through libcurl's C frames.
  static_cast<CurlShare*>(userptr)->MutexFor(data).lock();
}

void CurlShare::Unlock(CURL* /*easy*/, curl_lock_data data, void* userptr) noexcept {
  static_cast<CurlShare*>(userptr)->MutexFor(data).unlock();
}

}  // namespace swiftfs::http
