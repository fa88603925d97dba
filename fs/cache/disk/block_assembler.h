#pragma once
// BlockAssembler: gathers the bytes a reader got from Swift into whole cache blocks. Reads
// arrive in pieces (128 KiB from the kernel, a little out of order under read-ahead); each
// piece is copied into the buffer of the block it falls in, and a block whose whole range
// has arrived is handed back, once. Only a few blocks are pending at a time: a reader that
// jumps around leaves incomplete blocks behind, and the oldest is dropped (not cached).
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
  struct Complete {
    uint64_t index;
    std::shared_ptr<const std::string> data;
  };

  // Blocks of `block_size` bytes of an object of `object_size` bytes; at most `max_pending`
  // incomplete blocks are kept.
  BlockAssembler(uint64_t block_size, uint64_t object_size, size_t max_pending = 4);

  // Adds `bytes` found at `offset`; returns the blocks this completed.
  std::vector<Complete> Add(uint64_t offset, std::span<const char> bytes);

  size_t pending() const { return pending_.size(); }

 private:
  struct Pending {
    uint64_t index;
    std::string data;
    std::vector<std::pair<uint64_t, uint64_t>> have;  // sorted, disjoint, merged ranges
  };
  Pending& Find(uint64_t index);
  static void AddRange(Pending& block, uint64_t from, uint64_t to);

  const uint64_t block_size_;
  const uint64_t object_size_;
  const size_t max_pending_;
  std::deque<Pending> pending_;  // oldest first
  std::vector<uint64_t> done_;   // recently completed: not gathered again
};

}  // namespace swiftfs::cache
