#pragma once
// UploadTable: the Upload of each inode being written, so that every handle open for
// writing on one inode shares one upload (two writers, one content, one commit), and
// readers opened meanwhile read what was written. After the last writer is released and
// the upload committed, it is kept a little longer (kRetained, least recently released
// dropped first) so that a read right after is served from its local copy while the
// object's ETag is still the one it committed.
//
// INVARIANT: an entry with writers == 0 is a retained one, and at most kRetained exist.
// Thread-safe; mu_ is a leaf lock (uploads are destroyed after it is released: destroying
// one may delete segments).

#include <cstdint>
#include <list>
#include <memory>
#include <unordered_map>

#include "core/upload.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

class UploadTable {
 public:
  static constexpr size_t kRetained = 16;

  // The upload of `ino`, active or retained; null when none.
  std::shared_ptr<Upload> Find(InodeId ino) const;
  // The upload of `ino` while a writer holds it; null otherwise.
  std::shared_ptr<Upload> FindActive(InodeId ino) const;
  // One more writer of `ino`: the upload already there (active or retained), else
  // `candidate`, which becomes the inode's upload. Returns the one to use.
  std::shared_ptr<Upload> AddWriter(InodeId ino, std::shared_ptr<Upload> candidate);
  // One writer fewer; true when it was the last (the caller commits, then calls Retain
  // or Drop).
  bool RemoveWriter(InodeId ino);
  // Keeps the upload of `ino` (no writer) for reads; the oldest retained one goes.
  void Retain(InodeId ino);
  // Forgets the upload of `ino` unless a writer came back meanwhile.
  void Drop(InodeId ino);

 private:
  struct Entry {
    std::shared_ptr<Upload> upload;
    uint64_t writers = 0;
  };
  mutable Mutex mu_;
  std::unordered_map<InodeId, Entry> entries_ GUARDED_BY(mu_);
  std::list<InodeId> retained_ GUARDED_BY(mu_);  // oldest first
};

// A FileReader over an upload: reads of a file being written see the written bytes.
class UploadReader final : public cache::FileReader {
 public:
  explicit UploadReader(std::shared_ptr<Upload> upload) : upload_(std::move(upload)) {}
  Result<size_t> Read(uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* /*cancel*/) override {
    return upload_->Read(offset, buffer);
  }

 private:
  std::shared_ptr<Upload> upload_;
};

}  // namespace swiftfs::core
