#include "core/upload_table.h"

#include <algorithm>
#include <utility>

namespace swiftfs::core {

std::shared_ptr<Upload> UploadTable::Find(InodeId ino) const {
  MutexLock lock(mu_);
  auto it = entries_.find(ino);
  return it == entries_.end() ? nullptr : it->second.upload;
}

std::shared_ptr<Upload> UploadTable::FindActive(InodeId ino) const {
  MutexLock lock(mu_);
  auto it = entries_.find(ino);
  return it == entries_.end() || it->second.writers == 0 ? nullptr : it->second.upload;
}

std::shared_ptr<Upload> UploadTable::AddWriter(InodeId ino, std::shared_ptr<Upload> candidate) {
  std::shared_ptr<Upload> unused;  // destroyed after the lock
  MutexLock lock(mu_);
  Entry& entry = entries_[ino];
  if (!entry.upload) {
    entry.upload = std::move(candidate);
  } else {
    unused = std::move(candidate);
  }
  if (entry.writers++ == 0) retained_.remove(ino);
  return entry.upload;
}

bool UploadTable::RemoveWriter(InodeId ino) {
  MutexLock lock(mu_);
  auto it = entries_.find(ino);
  if (it == entries_.end() || it->second.writers == 0) return false;
  return --it->second.writers == 0;
}

void UploadTable::Retain(InodeId ino) {
  std::shared_ptr<Upload> evicted;
  MutexLock lock(mu_);
  auto it = entries_.find(ino);
  if (it == entries_.end() || it->second.writers > 0) return;
  retained_.remove(ino);
  retained_.push_back(ino);
  if (retained_.size() > kRetained) {
    auto oldest = entries_.find(retained_.front());
    retained_.pop_front();
    evicted = std::move(oldest->second.upload);
    entries_.erase(oldest);
  }
}

void UploadTable::Drop(InodeId ino) {
  std::shared_ptr<Upload> dropped;
  MutexLock lock(mu_);
  auto it = entries_.find(ino);
  if (it == entries_.end() || it->second.writers > 0) return;
  dropped = std::move(it->second.upload);
  entries_.erase(it);
  retained_.remove(ino);
}

}  // namespace swiftfs::core
