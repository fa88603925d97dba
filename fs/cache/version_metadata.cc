#include "swiftfs/cache/version_metadata.h"

#include <utility>

#include "swiftfs/common/time_format.h"

namespace swiftfs::cache {

int64_t VersionKey::timestamp_us() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(timestamp.time_since_epoch())
      .count();
}

std::string VersionKey::Encoded() const {
  // Lengths first, so no byte of a name can make two keys collide. Appended into one
  // reserved string: `ls -l` encodes keys for every entry, and the chain of temporaries
  // this once was showed in its profile.
  constexpr size_t kDigits = 20;  // of a uint64 or int64
  std::string out;
  out.reserve(container.size() + name.size() + etag.size() + 4 * kDigits + 3);
  for (const std::string* field : {&container, &name, &etag}) {
    out += std::to_string(field->size());
    out += ':';
    out += *field;
  }
  out += std::to_string(timestamp_us());
  return out;
}

bool VersionKey::operator==(const VersionKey& other) const {
  return container == other.container && name == other.name && etag == other.etag &&
         timestamp_us() == other.timestamp_us();
}

VersionKey KeyOfHead(const std::string& container, const std::string& name,
                     const swift::ObjectInfo& head) {
  VersionKey key{container, name, head.etag, head.last_modified};
  if (!head.timestamp.empty()) {
    if (auto stamp = ParseEpochSeconds(head.timestamp)) key.timestamp = *stamp;
  }
  return key;
}

VersionMetadata MetadataOfHead(const swift::ObjectInfo& head) {
  VersionMetadata m;
  m.meta_mtime = head.meta_mtime;
  m.metadata = head.metadata;
  m.content_type = head.content_type;
  m.timestamp = head.timestamp;
  m.size = head.size;
  m.symlink_target = head.symlink_target;
  m.symlink_target_account = head.symlink_target_account;
  m.is_dlo = head.is_dlo;
  m.is_slo = head.is_slo;
  return m;
}

swift::ObjectInfo InfoOf(const VersionKey& key, const VersionMetadata& metadata) {
  swift::ObjectInfo info;
  info.name = key.name;
  info.size = metadata.size;
  info.etag = key.etag;
  info.content_type = metadata.content_type;
  info.last_modified = key.timestamp;
  info.meta_mtime = metadata.meta_mtime;
  info.timestamp = metadata.timestamp;
  info.metadata = metadata.metadata;
  info.symlink_target = metadata.symlink_target;
  info.symlink_target_account = metadata.symlink_target_account;
  info.is_dlo = metadata.is_dlo;
  info.is_slo = metadata.is_slo;
  return info;
}

std::optional<VersionMetadata> LruVersionMetadataStore::Get(const VersionKey& key) {
  const std::string encoded = key.Encoded();
  MutexLock lock(mu_);
  auto it = index_.find(encoded);
  if (it == index_.end()) return std::nullopt;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->metadata;
}

void LruVersionMetadataStore::Put(const VersionKey& key, const VersionMetadata& metadata) {
  if (max_entries_ == 0) return;
  std::string encoded = key.Encoded();
  MutexLock lock(mu_);
  if (auto it = index_.find(encoded); it != index_.end()) {
    it->second->metadata = metadata;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(Node{encoded, metadata});
  index_.emplace(std::move(encoded), lru_.begin());
  while (index_.size() > max_entries_) {
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

size_t LruVersionMetadataStore::size() const {
  MutexLock lock(mu_);
  return index_.size();
}

}  // namespace swiftfs::cache
