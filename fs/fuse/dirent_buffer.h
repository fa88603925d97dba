#pragma once
// DirentBuffer: packs core::DirEntry values into one readdir or readdirplus reply with
// libfuse's fuse_add_direntry{,_plus}. It owns its bytes, so the reply is sent after the
// Filesystem call returns and no lock of the core is held across fuse_reply_buf.
//
// Add() refuses an entry that does not fit and appends nothing: the Filesystem's emit
// contract then leaves that entry (and its lookup count, for readdirplus) unconsumed, so
// the next readdir call starts with it.

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "swiftfs/core/filesystem.h"

namespace swiftfs::fuse {

class DirentBuffer {
 public:
  // `capacity` is the size the kernel asked for; `plus` selects the readdirplus format.
  DirentBuffer(size_t capacity, bool plus);

  // Appends `entry` and returns true, or returns false without appending when the
  // remaining space is too small.
  bool Add(const core::DirEntry& entry);

  std::span<const char> data() const { return {bytes_.get(), used_}; }
  bool empty() const { return used_ == 0; }
  bool plus() const { return plus_; }
  size_t entries() const { return entries_; }
  // readdirplus: the inodes whose lookup count the packed entries carry (all but "." and
  // ".."). If the reply cannot be delivered they must be forgotten, or they would leak.
  std::span<const core::InodeId> counted() const { return counted_; }

 private:
  std::unique_ptr<char[]> bytes_;
  size_t capacity_;
  size_t used_ = 0;
  size_t entries_ = 0;
  std::vector<core::InodeId> counted_;
  bool plus_;
};

// One readdir(plus) reply's worth of `fs.ReadDir` from `offset` into `buffer` (whose format,
// plain or plus, selects the kind of listing). Entries packed before a listing error stay
// in the buffer and are to be sent: in readdirplus each counted as a lookup.
Status FillDirBuffer(core::Filesystem& fs, core::InodeId ino, uint64_t handle, uint64_t offset,
                     DirentBuffer& buffer);

}  // namespace swiftfs::fuse
