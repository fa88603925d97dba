// Fuzzes the time parsers with any text: no crash, no UB, and every time they accept lies
// in the documented clamping range (time_format.h), which FormatIso8601 can print.
#include <cstdlib>
#include <string_view>

#include "swiftfs/common/time_format.h"

namespace {

void Check(const swiftfs::Result<swiftfs::WallTime>& parsed) {
  if (!parsed.ok()) return;
  const auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(parsed->time_since_epoch()).count();
  if (secs < swiftfs::kMinEpochSeconds || secs > swiftfs::kMaxEpochSeconds) std::abort();
  (void)swiftfs::FormatIso8601(*parsed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Check(swiftfs::ParseIso8601(text));
  Check(swiftfs::ParseHttpDate(text));
  Check(swiftfs::ParseEpochSeconds(text));
  return 0;
}
