#pragma once
// DraftVersion: the disk cache's PendingVersion (swiftfs/cache/file_reader.h). The bytes
// of a file being written arrive as the upload cuts them (segments, then the tail at the
// commit); each block they cover whole is queued for the cache's writers without a copy
// (it points into the segment, which the upload shares), and a block split between two
// pieces is gathered in a buffer of its own until whole. The file's last block is whole
// only when the commit tells its size. Commit publishes the draft under the committed
// version's key; destroyed without it, the draft drops what it stored.
//
// Pieces must come in order, each starting where the last ended (as the upload cuts
// them): a block is whole when it has counted block_size bytes, which holds only if no
// byte is offered twice. A piece out of order drops the draft (nothing is published).
//
// Memory: the segments stay alive until their blocks are written (the draft queue of the
// disk cache bounds them), plus the one block being gathered (pieces come in order).
//
// Thread-safe (its own leaf lock), though one upload calls it at a time.

#include <map>
#include <memory>
#include <string>

#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class DraftVersion final : public PendingVersion {
 public:
  // Blocks of `container`/`name` in `account`; the provisional key stands in for an ETag
  // of an MD5's 32 hex digits (what Swift gives an object and an SLO).
  DraftVersion(DiskCache& cache, std::string account, const std::string& container,
               const std::string& name);

  void Add(uint64_t offset, std::shared_ptr<const std::string> bytes) override;
  void Commit(const ObjectVersion& version) override;

  static constexpr size_t kEtagLength = 32;

 private:
  struct Partial {
    std::string data;   // block_size_ bytes
    uint64_t have = 0;  // bytes filled (pieces come in order: no byte twice)
  };

  const std::string account_;
  const uint64_t block_size_;

  Mutex mu_;
  DiskCache::Draft draft_ GUARDED_BY(mu_);
  std::map<uint64_t, Partial> partial_ GUARDED_BY(mu_);  // by block index
  uint64_t next_offset_ GUARDED_BY(mu_) = 0;             // where the next piece must start
};

}  // namespace swiftfs::cache
