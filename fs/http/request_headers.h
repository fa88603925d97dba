#pragma once
// Builds the libcurl header list for a request. Besides the caller's fields it adds
// "Expect:" (libcurl would otherwise wait for "100 Continue" before sending large bodies,
// a round trip per upload) and, for a body without a Content-Type, "Content-Type:" so
// libcurl's form-encoding default is not sent. Names and values are checked so a value with
// a line break cannot inject a header.

#include "curl_handles.h"
#include "swiftfs/common/result.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::http {

// The header list for `request`, or kInvalidArgument for a malformed field (the message
// names the field, never its value). A null list means no headers to send.
Result<CurlSlist> BuildHeaderList(const Request& request);

// Whether the request carries a body (PUT and POST always do, possibly empty).
bool SendsBody(const Request& request);

}  // namespace swiftfs::http
