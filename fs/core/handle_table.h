#pragma once
// HandleTable<T>: the open handles of one kind (directory handles, file handles; later
// open-for-write handles), by the id the kernel gets back in fuse_file_info::fh.
//
// Design: a handle is a shared_ptr, and Find hands out a reference, so an operation
// uses its handle with the table unlocked (a readdir may list, a read may wait on the
// network) and a Release racing with it only drops the table's reference; the handle is
// destroyed by whichever holder lets go last, never under the table's lock (destroying a
// file handle may cancel fetches, a directory handle may free a big listing).
//
// Ids come from a counter per table and are never reused while the table lives, so a
// stale id (a release already done) finds nothing rather than another file's handle.
//
// INVARIANT: every id in handles_ is below next_id_, and maps to a non-null handle.
// Thread-safe; mu_ is a leaf lock (nothing is called with it held but map operations).

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>

#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

template <typename T>
class HandleTable {
 public:
  // Adds `handle` (non-null) and returns its new id (never 0).
  uint64_t Add(std::shared_ptr<T> handle) {
    MutexLock lock(mu_);
    const uint64_t id = next_id_++;
    handles_.emplace(id, std::move(handle));
    return id;
  }

  // The handle `id`, or null when it is unknown (never opened, or released).
  std::shared_ptr<T> Find(uint64_t id) const {
    MutexLock lock(mu_);
    auto it = handles_.find(id);
    return it == handles_.end() ? nullptr : it->second;
  }

  // Forgets `id` (unknown ids are ignored). The handle is destroyed after the lock is
  // released, or later by an operation still holding it.
  void Release(uint64_t id) {
    std::shared_ptr<T> released;
    MutexLock lock(mu_);
    auto it = handles_.find(id);
    if (it == handles_.end()) return;
    released = std::move(it->second);
    handles_.erase(it);
  }

  size_t size() const {
    MutexLock lock(mu_);
    return handles_.size();
  }

 private:
  mutable Mutex mu_;
  uint64_t next_id_ GUARDED_BY(mu_) = 1;
  std::unordered_map<uint64_t, std::shared_ptr<T>> handles_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
