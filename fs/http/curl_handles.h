#pragma once
// Move-only RAII holders for libcurl's C handles. Each is a unique_ptr with a deleter that
// calls the matching libcurl cleanup function, so a handle is released on every path,
// error returns included. Private to the http layer.

#include <curl/curl.h>

#include <memory>

namespace swiftfs::http {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

// Header lists may hold credentials (X-Auth-Token, X-Auth-Key): the deleter overwrites
// every string before freeing it so they linger less in freed memory.
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const noexcept;
};

struct CurlShareDeleter {
  void operator()(CURLSH* share) const noexcept { curl_share_cleanup(share); }
};

using CurlEasyHandle = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlShareHandle = std::unique_ptr<CURLSH, CurlShareDeleter>;

}  // namespace swiftfs::http
