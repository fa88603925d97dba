// Fuzzes HEAD response parsing and Content-Range. The input is header lines
// ("Name: value\n"); they go to the account, container and object parsers, and every
// value also to ParseContentRange, StripEtagQuotes and ParseUint64.
#include <string>
#include <string_view>

#include "swift/header_parser.h"
#include "swift/range_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swiftfs;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  http::Headers headers;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.Add(std::string(line.substr(0, colon)), std::string(value));
    if (auto range = swift::ParseContentRange(value)) {
      if (range->first > range->last) __builtin_trap();  // a range must not be inverted
    }
    (void)swift::StripEtagQuotes(value);
    (void)swift::ParseUint64(value);
  }
  (void)swift::ParseAccountHeaders(headers);
  (void)swift::ParseContainerHeaders("c", headers);
  (void)swift::ParseObjectHeaders("c/o", headers);
  return 0;
}
