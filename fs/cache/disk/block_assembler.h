#pragma once
// BlockAssembler: gathers the bytes a reader got from Swift into whole cache blocks. Reads
// arrive in pieces (128 KiB from the kernel, a little out of order under read-ahead), and a
// block whose whole range has arrived is handed back, once. Only a few blocks are pending
// at a time: a reader that jumps around leaves incomplete blocks behind, and the oldest is
// dropped (not cached).
//
// In place when it can: the pieces of a sequential read lie one after the other in one
// prefetched part, so a block's pieces usually sit at consecutive addresses. While they
// do, nothing is copied: the block is handed back as a span into that memory, kept alive
// by the owners of its pieces (which never change the bytes they own, ReadView). A piece
// elsewhere (another part, a read out of order) turns the block into a copy. On a first
// read with the cache on, this copy was the reader's largest cost after the GET itself.
// Not thread-safe: its owner locks.

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace swiftfs::cache {

class BlockAssembler {
 public:
  // A whole block: `bytes`, which `owner` keeps alive and unchanged.
  struct Complete {
    uint64_t index;
    std::span<const char> bytes;
    std::shared_ptr<const void> owner;
  };

  // Blocks of `block_size` bytes of an object of `object_size` bytes; at most `max_pending`
  // incomplete blocks are kept.
  BlockAssembler(uint64_t block_size, uint64_t object_size, size_t max_pending = 4);

  // Adds `bytes` found at `offset`, which `owner` keeps alive and unchanged for as long as
  // it is held; returns the blocks this completed.
  std::vector<Complete> Add(uint64_t offset, std::span<const char> bytes,
                            const std::shared_ptr<const void>& owner);

  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    uint64_t index = 0;
    uint64_t size = 0;  // the block's length
    // In place: every piece so far lies at base + its offset in the block, in memory that
    // `owners` keep alive. Else the bytes are copied into `data`.
    bool in_place = true;
    uintptr_t base = 0;            // the address of byte 0, compared, never dereferenced
    const char* anchor = nullptr;  // the first piece's bytes, which are at...
    uint64_t anchor_within = 0;    // ...this offset in the block
    std::vector<std::shared_ptr<const void>> owners;
    std::string data;
    std::vector<std::pair<uint64_t, uint64_t>> have;  // sorted, disjoint, merged ranges
  };
  Pending& Find(uint64_t index);
  static void AddRange(Pending& block, uint64_t from, uint64_t to);
  // Puts `piece` at `within` in `block`: in place while it continues the block's memory.
  static void Place(Pending& block, uint64_t within, std::span<const char> piece,
                    const std::shared_ptr<const void>& owner);
  // The bytes and owner of a block whose whole range has arrived.
  static Complete Finish(Pending& block);
  // Where the in-place bytes at `within` of `block` are.
  static const char* InPlaceAt(const Pending& block, uint64_t within);

  const uint64_t block_size_;
  const uint64_t object_size_;
  const size_t max_pending_;
  std::deque<Pending> pending_;  // oldest first
  std::vector<uint64_t> done_;   // recently completed: not gathered again
};

}  // namespace swiftfs::cache
