#include "cache/disk/block_file.h"

#include <charconv>
#include <cstring>

#include "cache/disk/crc32c.h"

namespace swiftfs::cache {
namespace {

constexpr char kMagic[8] = {'S', 'W', 'F', 'S', 'B', 'L', 'K', '2'};
// Block files of swiftfs before the aligned layout: every data right after the key.
constexpr char kOldMagic[8] = {'S', 'W', 'F', 'S', 'B', 'L', 'K', '1'};

void PutLe(char* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}
uint64_t GetLe(const char* in, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}

// FNV-1a over the key, 64 bits from each of two offsets: a name only; the header's key
// decides whether a file is the block asked for.
uint64_t Fnv1a(std::string_view text, uint64_t hash) {
  for (char c : text) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001B3ull;
  }
  return hash;
}

bool ParseHex(std::string_view text, uint64_t& out) {
  if (text.size() != 16) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string Hex(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) out[i] = kDigits[value & 0xF];
  return out;
}

}  // namespace

std::string BlockKey::Encode(std::string_view account, std::string_view container,
                             std::string_view name, std::string_view etag) {
  // Length-prefixed, so no choice of names can make two different keys encode the same.
  std::string out;
  for (std::string_view part : {account, container, name, etag}) {
    out += std::to_string(part.size());
    out += ':';
    out += part;
  }
  return out;
}

BlockKey::BlockKey(std::string_view account, std::string_view container, std::string_view name,
                   std::string_view etag)
    : encoded_(Encode(account, container, name, etag)),
      hi_(Fnv1a(encoded_, 0xCBF29CE484222325ull)),
      lo_(Fnv1a(encoded_, 0x84222325CBF29CE4ull)) {}

BlockId MakeBlockId(const BlockKey& key, uint64_t index) { return {key.hi(), key.lo(), index}; }

std::string BlockPath(const BlockId& id) {
  const std::string hi = Hex(id.hi);
  return "blocks/" + hi.substr(0, 2) + "/" + hi + Hex(id.lo) + "." + std::to_string(id.index);
}

std::optional<BlockId> ParseBlockFileName(std::string_view fan, std::string_view file) {
  const size_t dot = file.find('.');
  if (dot != 32 || file.size() == 33) return std::nullopt;
  BlockId id;
  if (!ParseHex(file.substr(0, 16), id.hi) || !ParseHex(file.substr(16, 16), id.lo)) {
    return std::nullopt;
  }
  const std::string_view index = file.substr(33);
  auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), id.index);
  if (ec != std::errc() || end != index.data() + index.size()) return std::nullopt;
  if (Hex(id.hi).substr(0, 2) != fan) return std::nullopt;
  return id;
}

size_t BlockDataOffset(size_t key_size, size_t data_size) {
  const size_t after_key = kBlockHeaderSize + key_size;
  if (data_size < kAlignedDataMin) return after_key;
  return (after_key + kDataAlignment - 1) / kDataAlignment * kDataAlignment;
}

std::string EncodeBlockHeader(const BlockKey& key, uint64_t index, uint32_t data_size,
                              uint32_t data_crc) {
  std::string out(kBlockHeaderSize, '\0');
  std::memcpy(out.data(), kMagic, sizeof kMagic);
  PutLe(out.data() + 8, key.encoded().size(), 4);
  PutLe(out.data() + 12, data_size, 4);
  PutLe(out.data() + 16, index, 8);
  PutLe(out.data() + 24, data_crc, 4);
  uint32_t header_crc = Crc32c(std::span<const char>(out.data(), 28));
  header_crc = Crc32c(key.encoded(), header_crc);
  PutLe(out.data() + 28, header_crc, 4);
  out += key.encoded();
  return out;
}

bool IsOldBlockFile(std::span<const char> file) {
  return file.size() >= sizeof kOldMagic &&
         std::memcmp(file.data(), kOldMagic, sizeof kOldMagic) == 0;
}

std::optional<std::span<const char>> DecodeBlock(std::span<const char> file, const BlockKey& key,
                                                 uint64_t index, uint32_t expected_size) {
  const std::string& encoded = key.encoded();
  const size_t data_offset = BlockDataOffset(encoded.size(), expected_size);
  if (file.size() != data_offset + expected_size) return std::nullopt;
  const char* h = file.data();
  if (std::memcmp(h, kMagic, sizeof kMagic) != 0) return std::nullopt;
  if (GetLe(h + 8, 4) != encoded.size() || GetLe(h + 12, 4) != expected_size ||
      GetLe(h + 16, 8) != index) {
    return std::nullopt;
  }
  if (std::memcmp(h + kBlockHeaderSize, encoded.data(), encoded.size()) != 0) return std::nullopt;
  uint32_t header_crc = Crc32c(file.first(28));
  header_crc = Crc32c(file.subspan(kBlockHeaderSize, encoded.size()), header_crc);
  if (GetLe(h + 28, 4) != header_crc) return std::nullopt;
  for (size_t i = kBlockHeaderSize + encoded.size(); i < data_offset; ++i) {
    if (file[i] != 0) return std::nullopt;
  }
  std::span<const char> data = file.subspan(data_offset);
  if (GetLe(h + 24, 4) != Crc32c(data)) return std::nullopt;
  return data;
}

}  // namespace swiftfs::cache
