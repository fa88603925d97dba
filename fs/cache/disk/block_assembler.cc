#include "cache/disk/block_assembler.h"

#include <algorithm>
#include <cstring>

namespace swiftfs::cache {

BlockAssembler::BlockAssembler(uint64_t block_size, uint64_t object_size, size_t max_pending)
    : block_size_(block_size), object_size_(object_size), max_pending_(max_pending) {}

BlockAssembler::Pending& BlockAssembler::Find(uint64_t index) {
  for (Pending& block : pending_) {
    if (block.index == index) return block;
  }
  if (pending_.size() >= max_pending_) pending_.pop_front();
  Pending block;
  block.index = index;
  const uint64_t start = index * block_size_;
  block.data.resize(std::min(block_size_, object_size_ - start));
  pending_.push_back(std::move(block));
  return pending_.back();
}

void BlockAssembler::AddRange(Pending& block, uint64_t from, uint64_t to) {
  auto& have = block.have;
  have.emplace_back(from, to);
  std::sort(have.begin(), have.end());
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  for (const auto& range : have) {
    if (!merged.empty() && range.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, range.second);
    } else {
      merged.push_back(range);
    }
  }
  have = std::move(merged);
}

std::vector<BlockAssembler::Complete> BlockAssembler::Add(uint64_t offset,
                                                          std::span<const char> bytes) {
  std::vector<Complete> complete;
  if (offset >= object_size_) return complete;
  bytes = bytes.first(std::min<uint64_t>(bytes.size(), object_size_ - offset));
  while (!bytes.empty()) {
    const uint64_t index = offset / block_size_;
    const uint64_t within = offset - index * block_size_;
    const uint64_t n = std::min<uint64_t>(bytes.size(), block_size_ - within);
    if (std::find(done_.begin(), done_.end(), index) == done_.end()) {
      Pending& block = Find(index);
      std::memcpy(block.data.data() + within, bytes.data(), n);
      AddRange(block, within, within + n);
      if (block.have.size() == 1 && block.have[0].first == 0 &&
          block.have[0].second == block.data.size()) {
        complete.push_back({index, std::make_shared<const std::string>(std::move(block.data))});
        pending_.erase(std::find_if(pending_.begin(), pending_.end(),
                                    [index](const Pending& p) { return p.index == index; }));
        done_.push_back(index);
        if (done_.size() > 2 * max_pending_) done_.erase(done_.begin());
      }
    }
    offset += n;
    bytes = bytes.subspan(n);
  }
  return complete;
}

}  // namespace swiftfs::cache
