// Parsers of single option values: sizes, seconds, modes, log levels, numbers.

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "cli/option_values.h"
#include "swiftfs/cli/options.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::cli {

namespace {
Error Bad(const std::string& what) { return MakeError(ErrorCode::kInvalidArgument, what); }
}  // namespace

Result<uint64_t> ParseUnsigned(const std::string& text, uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return Bad("'" + text + "' is not a non-negative integer");
  }
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (errno == ERANGE || value > max) {
    return Bad("'" + text + "' is larger than " + std::to_string(max));
  }
  return static_cast<uint64_t>(value);
}

Result<mode_t> ParseOctalMode(const std::string& text) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos) {
    return Bad("'" + text + "' is not an octal mode such as 022");
  }
  return static_cast<mode_t>(std::strtoul(text.c_str(), nullptr, 8));
}

Result<uint64_t> ParseSize(const std::string& text) {
  if (text.empty()) return Bad("empty size");
  uint64_t multiplier = 1;
  std::string digits = text;
  switch (std::tolower(static_cast<unsigned char>(text.back()))) {
    case 'k':
      multiplier = uint64_t{1} << 10;
      break;
    case 'm':
      multiplier = uint64_t{1} << 20;
      break;
    case 'g':
      multiplier = uint64_t{1} << 30;
      break;
    default:
      break;
  }
  if (multiplier != 1) digits.pop_back();
  auto value = ParseUnsigned(digits, std::numeric_limits<uint64_t>::max() / multiplier);
  if (!value) return Bad("'" + text + "' is not a size such as 256M, 1G or 65536");
  return *value * multiplier;
}

Result<std::chrono::duration<double>> ParseSeconds(const std::string& text) {
  const std::string bad = "'" + text + "' is not a number of seconds such as 30 or 0.5";
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos) {
    return Bad(bad);
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value) || value < 0 || value > 1e9) {
    return Bad(bad);
  }
  return std::chrono::duration<double>(value);
}

Result<LogLevel> ParseLogLevel(const std::string& text) {
  const std::string lower = ToLower(text);
  if (lower == "debug") return LogLevel::kDebug;
  if (lower == "info") return LogLevel::kInfo;
  if (lower == "warning" || lower == "warn") return LogLevel::kWarning;
  if (lower == "error") return LogLevel::kError;
  if (lower == "off" || lower == "none") return LogLevel::kOff;
  return Bad("'" + text + "' is not a log level (debug, info, warning, error, off)");
}

}  // namespace swiftfs::cli
