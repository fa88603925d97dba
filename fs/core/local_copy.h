#pragma once
// LocalCopy: the local bytes of a file being written, in a StagingFile, over a "base":
// what the file held before (the existing object, or segments already uploaded), fetched
// from Swift a block at a time only where the file is read or partly overwritten. An
// append to a large object therefore stages the new bytes and one block, not the object.
//
// Each block (kBlockSize) is a hole (zeros, never written: past the base, or grown by
// truncate), remote (its bytes are the base's) or present (in the staging file, charged
// to the StagingArea's budget). Writes that cover a remote block whole just replace it;
// one that covers it partly needs it fetched first (RemoteBlocks, then Install: the caller
// fetches with no lock held). Every change of the base or of the size bumps generation(),
// so a fetch that raced with one is dropped rather than installed.
//
// INVARIANT: state_.size() == ceil(size_ / kBlockSize); base_size_ <= size_; the staging
// file's length is size_; only present blocks are charged to the budget.
// Not thread-safe: the Upload that owns it calls it under its own lock.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/staging_area.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// A piece of the base: bytes [offset, offset + size) of the file are object
// container/name, pinned to `etag` (If-Match on every read).
struct BasePiece {
  uint64_t offset = 0;
  uint64_t size = 0;
  std::string container;
  std::string name;
  std::string etag;
};

// Reads bytes [offset, offset + out.size()) of `base` (which must cover them) from Swift.
// kPreconditionFailed when a piece changed since it was pinned.
Status FetchBase(swift::ObjectClient& client, const std::vector<BasePiece>& base, uint64_t offset,
                 std::span<char> out);

class LocalCopy {
 public:
  static constexpr uint64_t kBlockSize = uint64_t{1} << 20;

  // A copy of a file of `base_size` bytes held by `base` (empty base and 0: a new file).
  LocalCopy(std::unique_ptr<StagingFile> file, StagingArea& area, std::vector<BasePiece> base,
            uint64_t base_size);
  ~LocalCopy();
  LocalCopy(const LocalCopy&) = delete;
  LocalCopy& operator=(const LocalCopy&) = delete;

  uint64_t size() const { return size_; }
  uint64_t generation() const { return generation_; }
  const std::vector<BasePiece>& base() const { return base_; }
  // Bytes of the budget this copy holds.
  uint64_t charged() const { return charged_; }

  // The remote blocks among those a read of [offset, offset + length) touches (read=true),
  // or those a write there only partly covers (read=false).
  std::vector<uint64_t> RemoteBlocks(uint64_t offset, uint64_t length, bool read) const;
  // The bytes of block `block` the base holds: [first, last).
  std::pair<uint64_t, uint64_t> BaseRange(uint64_t block) const;
  // Stores block `block` as fetched (BaseRange's bytes) at generation `generation`;
  // nothing happens when the copy changed since or the block is no longer remote.
  Status Install(uint64_t block, std::span<const char> data, uint64_t generation);

  // Writes `data`; every block it covers only partly must not be remote. kNoSpace when
  // the budget cannot take the blocks it makes present.
  Status Write(uint64_t offset, std::span<const char> data);
  // Reads from the staging file (no remote block may be in range); short only at the end.
  Result<size_t> Read(uint64_t offset, std::span<char> buffer);
  Status Truncate(uint64_t size);
  // After a commit: `base` (the new object) now holds the whole file; present blocks stay.
  void Rebase(std::vector<BasePiece> base);
  bool HasRemote() const;

 private:
  enum class Block : uint8_t { kHole, kRemote, kPresent };
  static uint64_t Blocks(uint64_t size) { return (size + kBlockSize - 1) / kBlockSize; }
  void Resize(uint64_t size);

  std::unique_ptr<StagingFile> file_;
  StagingArea& area_;
  std::vector<BasePiece> base_;
  uint64_t base_size_ = 0;
  uint64_t size_ = 0;
  uint64_t generation_ = 0;
  uint64_t charged_ = 0;
  std::vector<Block> state_;
};

}  // namespace swiftfs::core
