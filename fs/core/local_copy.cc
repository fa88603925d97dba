#include "core/local_copy.h"

#include <algorithm>

namespace swiftfs::core {

Status FetchBase(swift::ObjectClient& client, const std::vector<BasePiece>& base, uint64_t offset,
                 std::span<char> out) {
  const uint64_t end = offset + out.size();
  for (const BasePiece& piece : base) {
    const uint64_t first = std::max(offset, piece.offset);
    const uint64_t last = std::min(end, piece.offset + piece.size);
    if (first >= last) continue;
    std::span<char> part = out.subspan(first - offset, last - first);
    size_t done = 0;
    while (done < part.size()) {
      auto got = client.GetRange(piece.container, piece.name, first - piece.offset + done,
                                 part.subspan(done), piece.etag);
      if (!got) return std::move(got).error();
      if (got->bytes == 0) {
        return MakeError(ErrorCode::kPreconditionFailed, "object shorter than when opened", 0,
                         piece.container + "/" + piece.name);
      }
      done += got->bytes;
    }
  }
  return OkStatus();
}

LocalCopy::LocalCopy(std::unique_ptr<StagingFile> file, StagingArea& area,
                     std::vector<BasePiece> base, uint64_t base_size)
    : file_(std::move(file)), area_(area), base_(std::move(base)), base_size_(base_size) {
  size_ = base_size;
  state_.assign(Blocks(size_), base_.empty() ? Block::kHole : Block::kRemote);
  (void)file_->Resize(size_);  // a sparse file; a failure shows at the first write
}

LocalCopy::~LocalCopy() { area_.Unreserve(charged_); }

std::vector<uint64_t> LocalCopy::RemoteBlocks(uint64_t offset, uint64_t length, bool read) const {
  std::vector<uint64_t> blocks;
  // A read stops at the end of the file; a write past it still touches the last block.
  const uint64_t end = read ? std::min(offset + length, size_) : offset + length;
  if (offset >= end) return blocks;
  const uint64_t last_block = std::min<uint64_t>((end - 1) / kBlockSize, state_.size());
  for (uint64_t b = offset / kBlockSize; b <= last_block && b < state_.size(); ++b) {
    if (state_[b] != Block::kRemote) continue;
    const uint64_t first = b * kBlockSize;
    const uint64_t last = std::min(first + kBlockSize, size_);
    const bool covered = offset <= first && offset + length >= last;
    if (read || !covered) blocks.push_back(b);
  }
  return blocks;
}

std::pair<uint64_t, uint64_t> LocalCopy::BaseRange(uint64_t block) const {
  const uint64_t first = block * kBlockSize;
  return {first, std::max(first, std::min(first + kBlockSize, base_size_))};
}

Status LocalCopy::Install(uint64_t block, std::span<const char> data, uint64_t generation) {
  if (generation != generation_ || block >= state_.size() || state_[block] != Block::kRemote) {
    return OkStatus();
  }
  if (!area_.Reserve(kBlockSize)) {
    return MakeError(ErrorCode::kNoSpace, "staging space exhausted (staging_size)");
  }
  charged_ += kBlockSize;
  state_[block] = Block::kPresent;
  return file_->Write(BaseRange(block).first, data);
}

Status LocalCopy::Write(uint64_t offset, std::span<const char> data) {
  if (data.empty()) return OkStatus();
  const uint64_t end = offset + data.size();
  if (end > size_) Resize(end);
  uint64_t newly = 0;
  for (uint64_t b = offset / kBlockSize; b <= (end - 1) / kBlockSize; ++b) {
    if (state_[b] != Block::kPresent) newly += kBlockSize;
  }
  if (newly > 0 && !area_.Reserve(newly)) {
    return MakeError(ErrorCode::kNoSpace, "staging space exhausted (staging_size)");
  }
  charged_ += newly;
  for (uint64_t b = offset / kBlockSize; b <= (end - 1) / kBlockSize; ++b) {
    state_[b] = Block::kPresent;
  }
  return file_->Write(offset, data);
}

Result<size_t> LocalCopy::Read(uint64_t offset, std::span<char> buffer) {
  if (offset >= size_) return size_t{0};
  const size_t n = static_cast<size_t>(std::min<uint64_t>(buffer.size(), size_ - offset));
  auto got = file_->Read(offset, buffer.first(n));
  if (!got) return got;
  // The file may be shorter than size_ only if a resize failed; the rest reads as zeros.
  std::fill(buffer.begin() + static_cast<std::ptrdiff_t>(*got), buffer.begin() + n, '\0');
  return n;
}

void LocalCopy::Resize(uint64_t size) {
  const uint64_t blocks = Blocks(size);
  for (uint64_t b = blocks; b < state_.size(); ++b) {
    if (state_[b] == Block::kPresent) {
      area_.Unreserve(kBlockSize);
      charged_ -= kBlockSize;
    }
  }
  state_.resize(blocks, Block::kHole);
  base_size_ = std::min(base_size_, size);
  size_ = size;
  ++generation_;
}

Status LocalCopy::Truncate(uint64_t size) {
  // A remote last block keeps only the base's bytes below the new size: base_size_ shrinks
  // with the file (Resize), so a later growth reads zeros there, as POSIX wants.
  Resize(size);
  return file_->Resize(size);
}

void LocalCopy::Rebase(std::vector<BasePiece> base) {
  base_ = std::move(base);
  base_size_ = size_;
  ++generation_;
}

bool LocalCopy::HasRemote() const {
  return std::find(state_.begin(), state_.end(), Block::kRemote) != state_.end();
}

}  // namespace swiftfs::core
