#include "cache/disk/version_record.h"

#include <chrono>
#include <cstdint>
#include <span>

#include "cache/disk/crc32c.h"

namespace swiftfs::cache {
namespace {

constexpr uint8_t kFormat = 1;
enum Flag : uint8_t {
  kHasMetaMtime = 1,
  kHasSymlinkTarget = 2,
  kHasSymlinkAccount = 4,
  kIsDlo = 8,
  kIsSlo = 16,
};
constexpr uint8_t kKnownFlags = 31;

void PutLe(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}
void PutString(std::string& out, std::string_view s) {
  PutLe(out, s.size(), 4);
  out += s;
}

uint32_t Checksum(std::string_view key, std::string_view rest) {
  return Crc32c(std::span<const char>(rest.data(), rest.size()),
                Crc32c(std::span<const char>(key.data(), key.size())));
}

// Reads fields off the front of a record; a read past its end fails it and every later one.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && in_.empty(); }
  uint64_t Le(size_t bytes) {
    if (!ok_ || in_.size() < bytes) {
      ok_ = false;
      return 0;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i) {
      value |= uint64_t{static_cast<uint8_t>(in_[i])} << (8 * i);
    }
    in_.remove_prefix(bytes);
    return value;
  }
  std::string String() {
    const uint64_t size = Le(4);
    if (!ok_ || in_.size() < size) {
      ok_ = false;
      return {};
    }
    std::string out(in_.substr(0, size));
    in_.remove_prefix(size);
    return out;
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodeVersionRecord(std::string_view key, const VersionMetadata& m) {
  uint8_t flags = 0;
  if (m.meta_mtime) flags |= kHasMetaMtime;
  if (m.symlink_target) flags |= kHasSymlinkTarget;
  if (m.symlink_target_account) flags |= kHasSymlinkAccount;
  if (m.is_dlo) flags |= kIsDlo;
  if (m.is_slo) flags |= kIsSlo;
  std::string out(4, '\0');  // the checksum, filled in last
  out += static_cast<char>(kFormat);
  out += static_cast<char>(flags);
  if (m.meta_mtime) {
    const int64_t ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(m.meta_mtime->time_since_epoch())
            .count();
    PutLe(out, static_cast<uint64_t>(ns), 8);
  }
  PutLe(out, m.size, 8);
  PutString(out, m.content_type);
  PutString(out, m.timestamp);
  if (m.symlink_target) PutString(out, *m.symlink_target);
  if (m.symlink_target_account) PutString(out, *m.symlink_target_account);
  PutLe(out, m.metadata.size(), 4);
  for (const auto& [name, value] : m.metadata) {
    PutString(out, name);
    PutString(out, value);
  }
  const uint32_t crc = Checksum(key, std::string_view(out).substr(4));
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return out;
}

std::optional<VersionMetadata> DecodeVersionRecord(std::string_view key, std::string_view record) {
  Reader reader(record);
  const auto crc = static_cast<uint32_t>(reader.Le(4));
  if (!reader.ok() || crc != Checksum(key, record.substr(4))) return std::nullopt;
  if (reader.Le(1) != kFormat) return std::nullopt;
  const auto flags = static_cast<uint8_t>(reader.Le(1));
  if ((flags & ~kKnownFlags) != 0) return std::nullopt;
  VersionMetadata m;
  if (flags & kHasMetaMtime) {
    const auto ns = std::chrono::nanoseconds(static_cast<int64_t>(reader.Le(8)));
    m.meta_mtime = swift::WallTime(std::chrono::duration_cast<swift::WallTime::duration>(ns));
  }
  m.size = reader.Le(8);
  m.content_type = reader.String();
  m.timestamp = reader.String();
  if (flags & kHasSymlinkTarget) m.symlink_target = reader.String();
  if (flags & kHasSymlinkAccount) m.symlink_target_account = reader.String();
  m.is_dlo = (flags & kIsDlo) != 0;
  m.is_slo = (flags & kIsSlo) != 0;
  const uint64_t count = reader.Le(4);
  for (uint64_t i = 0; i < count && reader.ok(); ++i) {
    std::string name = reader.String();
    m.metadata[std::move(name)] = reader.String();
  }
  if (!reader.done()) return std::nullopt;
  return m;
}

}  // namespace swiftfs::cache
