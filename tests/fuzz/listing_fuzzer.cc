// Fuzzes Swift's JSON bodies: object listings, account (container) listings and /info.
// Each input goes to all three parsers, which must answer a value or an Error, never
// throw (nlohmann::json exceptions must be caught at this boundary) or crash.
#include <string_view>

#include "swift/listing_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)swiftfs::swift::ParseObjectListing(body, "c", "AUTH_test");
  (void)swiftfs::swift::ParseContainerListing(body);
  (void)swiftfs::swift::ParseClusterInfo(body);
  return 0;
}
