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
  block.size = std::min(block_size_, object_size_ - index * block_size_);
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

void BlockAssembler::Place(Pending& block, uint64_t within, std::span<const char> piece,
                           const std::shared_ptr<const void>& owner) {
  const uintptr_t base = reinterpret_cast<uintptr_t>(piece.data()) - within;
  if (block.in_place && block.have.empty()) {
    block.base = base;
    block.anchor = piece.data();
    block.anchor_within = within;
  }
  if (block.in_place && base == block.base) {
    // Two distinct buffers never touch (each allocation has a header before it), so this
    // continues the memory of the pieces before it; each owner keeps its piece alive.
    if (block.owners.empty() || block.owners.back() != owner) block.owners.push_back(owner);
    return;
  }
  if (block.in_place) {
    // Elsewhere: copy what arrived so far (its owners still keep it alive), then go on
    // copying.
    block.data.resize(block.size);
    for (const auto& [from, to] : block.have) {
      std::memcpy(block.data.data() + from, InPlaceAt(block, from), to - from);
    }
    block.in_place = false;
    block.owners.clear();
  }
  std::memcpy(block.data.data() + within, piece.data(), piece.size());
}

const char* BlockAssembler::InPlaceAt(const Pending& block, uint64_t within) {
  // One buffer holds every in-place piece of the block, so this stays inside it.
  return block.anchor +
         (static_cast<ptrdiff_t>(within) - static_cast<ptrdiff_t>(block.anchor_within));
}

BlockAssembler::Complete BlockAssembler::Finish(Pending& block) {
  if (block.in_place) {
    auto owners =
        std::make_shared<const std::vector<std::shared_ptr<const void>>>(std::move(block.owners));
    return {block.index, std::span<const char>(InPlaceAt(block, 0), block.size), std::move(owners)};
  }
  auto data = std::make_shared<const std::string>(std::move(block.data));
  const std::span<const char> bytes(*data);
  return {block.index, bytes, std::move(data)};
}

std::vector<BlockAssembler::Complete> BlockAssembler::Add(
    uint64_t offset, std::span<const char> bytes, const std::shared_ptr<const void>& owner) {
  std::vector<Complete> complete;
  if (offset >= object_size_) return complete;
  bytes = bytes.first(std::min<uint64_t>(bytes.size(), object_size_ - offset));
  while (!bytes.empty()) {
    const uint64_t index = offset / block_size_;
    const uint64_t within = offset - index * block_size_;
    const uint64_t n = std::min<uint64_t>(bytes.size(), block_size_ - within);
    if (std::find(done_.begin(), done_.end(), index) == done_.end()) {
      Pending& block = Find(index);
      Place(block, within, bytes.first(n), owner);
      AddRange(block, within, within + n);
      if (block.have.size() == 1 && block.have[0].first == 0 &&
          block.have[0].second == block.size) {
        complete.push_back(Finish(block));
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
