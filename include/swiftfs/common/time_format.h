#pragma once
// Parsers for the time formats servers send us. All return UTC time points and an error
// (never a crash) on malformed input.
//
// WallTime counts nanoseconds in 64 bits, so it cannot hold times past 2262-04-11; a
// server (or a user's X-Object-Meta-Mtime) can send any number. Every parsed time is
// therefore clamped to [1970-01-01T00:00:00Z, 2262-01-01T00:00:00Z]: earlier times
// (negative epochs, year 0001) read as the epoch, later ones (9.3e9, 1e400, year 9999,
// inf) as 2262-01-01. NaN and other non-numbers are malformed.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "swiftfs/common/result.h"

namespace swiftfs {

using WallTime = std::chrono::system_clock::time_point;

// The clamping range above, in seconds since the epoch.
inline constexpr long long kMinEpochSeconds = 0;
inline constexpr long long kMaxEpochSeconds = 9214646400;  // 2262-01-01T00:00:00Z

// ISO 8601 as Keystone and Swift listings emit it: "2026-11-29T09:00:00Z",
// "...T09:00:00.123456Z", "...T09:00:00+02:00", "...T09:00:00-0130", and no zone at all
// (taken as UTC, as Swift's listing `last_modified` means it).
Result<WallTime> ParseIso8601(std::string_view text);

// RFC 7231 IMF-fixdate, as in Last-Modified: "Sun, 29 Nov 2026 09:00:00 GMT".
Result<WallTime> ParseHttpDate(std::string_view text);

// Seconds since the epoch with an optional fraction, as in X-Timestamp or
// X-Object-Meta-Mtime: "1764406800.12345" (exact to the nanosecond); any other number a
// float can spell ("-5", "1.7e9", "1e400", "inf") is accepted too, then clamped.
Result<WallTime> ParseEpochSeconds(std::string_view text);

// "2026-11-29T09:00:00Z" (second precision), for messages and --check-auth.
std::string FormatIso8601(WallTime t);

}  // namespace swiftfs
