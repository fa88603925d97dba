#pragma once
// Value parsers used by the option parser (the public ones are declared in options.h).

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "swiftfs/common/result.h"

namespace swiftfs::cli {

// Decimal digits only, at most `max`.
Result<uint64_t> ParseUnsigned(const std::string& text, uint64_t max);
// Up to four octal digits, e.g. "022", "0077".
Result<mode_t> ParseOctalMode(const std::string& text);

}  // namespace swiftfs::cli
