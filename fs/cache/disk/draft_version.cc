#include "cache/disk/draft_version.h"

#include <algorithm>
#include <cstring>

namespace swiftfs::cache {

DraftVersion::DraftVersion(DiskCache& cache, std::string account, const std::string& container,
                           const std::string& name)
    : account_(std::move(account)),
      block_size_(cache.options().block_size),
      draft_(cache.BeginDraft(BlockKey(account_, container, name, std::string(kEtagLength, '-')))) {
}

void DraftVersion::Add(uint64_t offset, std::shared_ptr<const std::string> bytes) {
  MutexLock lock(mu_);
  if (!draft_) return;
  if (offset != next_offset_) {
    draft_ = DiskCache::Draft();  // dropped: its blocks would be counted, not known, whole
    partial_.clear();
    return;
  }
  const uint64_t end = offset + bytes->size();
  next_offset_ = end;
  for (uint64_t pos = offset; pos < end;) {
    const uint64_t index = pos / block_size_;
    const uint64_t block_start = index * block_size_;
    const uint64_t block_end = block_start + block_size_;
    const char* at = bytes->data() + (pos - offset);
    if (pos == block_start && end >= block_end) {
      draft_.Add(index, bytes, std::span<const char>(at, block_size_));  // no copy
      pos = block_end;
      continue;
    }
    const uint64_t n = std::min(end, block_end) - pos;
    auto found = partial_.find(index);
    if (found == partial_.end()) {
      found = partial_.emplace(index, Partial{std::string(block_size_, '\0'), 0}).first;
    }
    Partial& partial = found->second;
    std::memcpy(partial.data.data() + (pos - block_start), at, n);
    partial.have += n;
    if (partial.have == block_size_) {
      auto whole = std::make_shared<const std::string>(std::move(partial.data));
      partial_.erase(found);
      draft_.Add(index, whole, std::span<const char>(*whole));
    }
    pos += n;
  }
}

void DraftVersion::Commit(const ObjectVersion& version) {
  MutexLock lock(mu_);
  if (!draft_) return;
  if (version.etag.empty() || version.size == 0) {
    draft_ = DiskCache::Draft();  // no identity to key it by: dropped
    return;
  }
  // The last block, shorter than the others, is whole when it holds the file's end.
  for (auto& [index, partial] : partial_) {
    const uint64_t start = index * block_size_;
    if (start >= version.size || partial.have != std::min(block_size_, version.size - start)) {
      continue;
    }
    partial.data.resize(partial.have);
    auto whole = std::make_shared<const std::string>(std::move(partial.data));
    draft_.Add(index, whole, std::span<const char>(*whole));
  }
  partial_.clear();
  draft_.Publish(BlockKey(account_, version.container, version.name, version.etag));
}

}  // namespace swiftfs::cache
