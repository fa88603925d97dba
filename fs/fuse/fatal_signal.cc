#include "fuse/fatal_signal.h"

#include <charconv>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace swiftfs::fuse::internal {

namespace {

constexpr uint64_t kSigkillBit = uint64_t{1} << (9 - 1);  // signal n is bit n-1

// Whether the hexadecimal mask on the line starting with `field` ("SigPnd:") has SIGKILL.
bool FieldHasKill(std::string_view status, std::string_view field) {
  size_t at = 0;
  while (at < status.size()) {
    size_t end = status.find('\n', at);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(at, end - at);
    at = end + 1;
    if (line.substr(0, field.size()) != field) continue;
    line.remove_prefix(field.size());
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    uint64_t mask = 0;
    auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), mask, 16);
    return ec == std::errc() && (mask & kSigkillBit) != 0;
  }
  return false;
}

}  // namespace

bool StatusShowsKillPending(std::string_view status) {
  return FieldHasKill(status, "SigPnd:") || FieldHasKill(status, "ShdPnd:");
}

bool FatalSignalPending(pid_t tid) {
  if (tid <= 0) return true;
  std::ifstream file("/proc/" + std::to_string(tid) + "/status");
  if (!file) return true;
  std::ostringstream text;
  text << file.rdbuf();
  return StatusShowsKillPending(text.str());
}

}  // namespace swiftfs::fuse::internal
