#pragma once
// Turns Swift's HEAD response headers into AccountInfo / ContainerEntry / ObjectInfo.
// Headers that every Swift sends and we cannot do without (Content-Length of an object)
// are required; a malformed number is an error; optional fields that are absent or
// unparsable fall back to a documented default, because a filesystem that refuses to stat
// a file over an odd Last-Modified helps nobody.

#include <string>
#include <string_view>

#include "swiftfs/common/result.h"
#include "swiftfs/http/http_client.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

// X-Account-Bytes-Used, -Object-Count, -Container-Count (0 when absent) and
// X-Account-Meta-Quota-Bytes (nullopt when absent).
Result<AccountInfo> ParseAccountHeaders(const http::Headers& headers);

// X-Container-Object-Count, X-Container-Bytes-Used; last_modified from Last-Modified,
// else X-Put-Timestamp / X-Timestamp.
Result<ContainerEntry> ParseContainerHeaders(std::string_view container,
                                             const http::Headers& headers);

// Every ObjectInfo field (see object_client.h). Content-Length is required. The
// last-modified time comes from Last-Modified, else X-Timestamp, else stays the epoch.
Result<ObjectInfo> ParseObjectHeaders(std::string_view name, const http::Headers& headers);

// "\"abc\"" -> "abc", "W/\"abc\"" -> "abc", "abc" -> "abc".
std::string StripEtagQuotes(std::string_view etag);

// A decimal uint64, surrounding whitespace allowed; nullopt for anything else.
std::optional<uint64_t> ParseUint64(std::string_view text);

}  // namespace swiftfs::swift
