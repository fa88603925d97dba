#include "cache/disk/version_row_key.h"

#include <chrono>
#include <cstdint>

namespace swiftfs::cache {
namespace {

constexpr char kEscape = '\xFF';  // 0x00 0xFF: a 0x00 of the field
constexpr char kEnd = '\x01';     // 0x00 0x01: the field's end
constexpr uint64_t kSignBit = uint64_t{1} << 63;

void PutField(std::string& out, std::string_view field) {
  for (char c : field) {
    out += c;
    if (c == '\0') out += kEscape;
  }
  out += '\0';
  out += kEnd;
}

// Reads one field off the front of `in`; nullopt when it has no proper end.
std::optional<std::string> TakeField(std::string_view& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\0') {
      out += in[i];
      continue;
    }
    if (i + 1 >= in.size()) return std::nullopt;
    if (in[i + 1] == kEnd) {
      in.remove_prefix(i + 2);
      return out;
    }
    if (in[i + 1] != kEscape) return std::nullopt;
    out += '\0';
    ++i;
  }
  return std::nullopt;
}

}  // namespace

std::string RowKeyPrefix(std::string_view account) {
  std::string out;
  PutField(out, account);
  return out;
}

std::string EncodeRowKey(std::string_view prefix, const VersionKey& key) {
  std::string out;
  out.reserve(prefix.size() + key.container.size() + key.name.size() + key.etag.size() + 14);
  out += prefix;
  PutField(out, key.container);
  PutField(out, key.name);
  PutField(out, key.etag);
  const uint64_t stamp = static_cast<uint64_t>(key.timestamp_us()) ^ kSignBit;
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((stamp >> shift) & 0xFF);
  return out;
}

std::optional<VersionKey> DecodeRowKey(std::string_view prefix, std::string_view row) {
  if (!row.starts_with(prefix)) return std::nullopt;
  row.remove_prefix(prefix.size());
  VersionKey key;
  for (std::string* field : {&key.container, &key.name, &key.etag}) {
    auto taken = TakeField(row);
    if (!taken) return std::nullopt;
    *field = std::move(*taken);
  }
  if (row.size() != 8) return std::nullopt;
  uint64_t stamp = 0;
  for (char c : row) stamp = (stamp << 8) | static_cast<uint8_t>(c);
  key.timestamp = swift::WallTime(std::chrono::duration_cast<swift::WallTime::duration>(
      std::chrono::microseconds(static_cast<int64_t>(stamp ^ kSignBit))));
  return key;
}

}  // namespace swiftfs::cache
