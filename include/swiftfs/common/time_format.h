#pragma once
// Parsers for the time formats servers send us. All return UTC time points and an error
// (never a crash) on malformed input.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "swiftfs/common/result.h"

namespace swiftfs {

using WallTime = std::chrono::system_clock::time_point;

// ISO 8601 as Keystone and Swift listings emit it: "2026-11-29T09:00:00Z",
// "...T09:00:00.123456Z", "...T09:00:00+02:00", "...T09:00:00-0130", and no zone at all
// (taken as UTC, as Swift's listing `last_modified` means it).
Result<WallTime> ParseIso8601(std::string_view text);

// RFC 7231 IMF-fixdate, as in Last-Modified: "Sun, 29 Nov 2026 09:00:00 GMT".
Result<WallTime> ParseHttpDate(std::string_view text);

// Seconds since the epoch with an optional fraction, as in X-Timestamp or
// X-Object-Meta-Mtime: "1764406800.12345".
Result<WallTime> ParseEpochSeconds(std::string_view text);

// "2026-11-29T09:00:00Z" (second precision), for messages and --check-auth.
std::string FormatIso8601(WallTime t);

}  // namespace swiftfs
