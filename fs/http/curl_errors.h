#pragma once
// Maps libcurl transfer failures to the project's error codes, in one table, so callers can
// tell a timeout from a refused connection from a rejected certificate without reading
// message text.

#include <curl/curl.h>

#include <string_view>

#include "swiftfs/common/error.h"

namespace swiftfs::http {

// The ErrorCode for a failed transfer (code != CURLE_OK). Write and abort errors caused by
// our own callbacks are decided by the caller, which knows why a callback stopped.
ErrorCode ErrorCodeForCurl(CURLcode code);

// An Error for a failed transfer. `what` names the request ("GET host/path", no query, no
// header values); `detail` is libcurl's CURLOPT_ERRORBUFFER text, possibly empty. TLS errors
// say how to trust a private CA.
Error TransportError(CURLcode code, std::string_view what, std::string_view detail);

}  // namespace swiftfs::http
