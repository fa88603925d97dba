// CurlGlobal: process-wide libcurl initialisation, owned by main() rather than hidden in a
// static, so its lifetime is visible and it runs before any thread starts.

#include <curl/curl.h>

#include <cstring>
#include <stdexcept>

#include "curl_handles.h"
#include "swiftfs/http/curl_http_client.h"

namespace swiftfs::http {

CurlGlobal::CurlGlobal() {
  // Start-up configuration error: the one place an exception is allowed.
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw std::runtime_error("libcurl initialisation failed");
  }
}

CurlGlobal::~CurlGlobal() { curl_global_cleanup(); }

void CurlSlistDeleter::operator()(curl_slist* list) const noexcept {
  for (curl_slist* item = list; item != nullptr; item = item->next) {
    if (item->data != nullptr) {
      // explicit_bzero is not optimised away even though the memory is freed right after.
      explicit_bzero(item->data, std::strlen(item->data));
    }
  }
  curl_slist_free_all(list);
}

}  // namespace swiftfs::http
