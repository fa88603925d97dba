#pragma once
// Helpers shared by the two halves of FakeObjectClient (reads in fake_object_client.cc,
// writes in fake_object_client_writes.cc). Not for tests.

#include <chrono>
#include <cstdio>
#include <string>

#include "swiftfs/common/error.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::testing::fake_internal {

// X-Timestamp text: seconds since the epoch with five decimals.
inline std::string TimestampText(swift::WallTime t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  char text[40];
  std::snprintf(text, sizeof text, "%lld.%05lld", static_cast<long long>(us / 1000000),
                static_cast<long long>((us % 1000000) / 10));
  return text;
}

// Swift's Last-Modified is X-Timestamp rounded up to the whole second.
inline swift::WallTime RoundUpToSecond(swift::WallTime t) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  return seconds == t ? t : swift::WallTime(seconds + std::chrono::seconds(1));
}

inline Error NotFound(const std::string& what) {
  return MakeError(ErrorCode::kNotFound, "404 Not Found", 404, what);
}

}  // namespace swiftfs::testing::fake_internal
