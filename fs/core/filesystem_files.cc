// Open files: Open pins the version (etag and size) it saw, from a fresh listing with no
// request or else from HEAD, and gets a FileReader for it; every read of the handle is of
// that version only (If-Match), so a concurrent overwrite fails reads with
// kPreconditionFailed (ESTALE at the FUSE edge) instead of mixing two versions. For SLO
// and DLO manifests the etag is the assembled object's (from the listing's slo_etag, or
// from HEAD, which a DLO always gets since it lists as 0 bytes); Swift 2.30 checks If-Match
// against it. A DLO whose HEAD has no ETag is read unpinned (empty etag).
//
// keep_cache: the kernel may keep an inode's cached pages when the etag it opens is the
// one it opened last time.
#include <fcntl.h>

#include "core/filesystem_impl.h"

namespace swiftfs::core {

Result<OpenReply> Filesystem::Impl::Open(InodeId ino, int flags) {
  const bool write_intent = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_APPEND));
  if (write_intent) return MakeError(ErrorCode::kReadOnly, "read-only filesystem");

  Location loc;
  std::optional<ObjectAttrs> attrs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Inode* inode = inodes_.Find(ino);
    if (!inode) return MakeError(ErrorCode::kNotFound, "no such inode");
    if (inode->kind == cache::EntryKind::kDirectory) {
      return MakeError(ErrorCode::kIsADirectory, "open of a directory");
    }
    if (inode->kind == cache::EntryKind::kSymlink) {
      return MakeError(ErrorCode::kInvalidArgument, "open of a symlink");
    }
    if (inode->attrs.size_verified && clock_.Monotonic() < inode->attrs.expiry) {
      attrs = inode->attrs;
    }
    loc = Location{ino, inode->kind, inode->container, inode->key};
  }
  if (!attrs) {
    auto current = FetchAttrs(loc);
    if (!current) return std::move(current).error();
    if (current->first != cache::EntryKind::kFile) {
      return MakeError(ErrorCode::kNotFound, "object changed kind", 0, ObjectCacheKey(loc));
    }
    attrs = current->second;
    StoreAttrs(ino, *attrs);
  }

  cache::ObjectVersion version;
  version.container = loc.container;
  version.name = loc.key;
  version.etag = attrs->etag;
  version.size = attrs->size;
  auto handle = std::make_shared<FileHandle>(FileHandle{ino, readers_.Open(version)});

  std::lock_guard<std::mutex> lock(mu_);
  OpenReply reply;
  if (Inode* inode = inodes_.Find(ino)) {
    reply.keep_cache = !attrs->etag.empty() && inode->cached_etag == attrs->etag;
    inode->cached_etag = attrs->etag;
  }
  reply.handle = next_handle_++;
  file_handles_.emplace(reply.handle, std::move(handle));
  return reply;
}

Result<std::shared_ptr<Filesystem::Impl::FileHandle>> Filesystem::Impl::FindFile(
    uint64_t handle) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = file_handles_.find(handle);
  if (it == file_handles_.end()) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown file handle");
  }
  return it->second;
}

Result<size_t> Filesystem::Impl::Read(uint64_t handle, uint64_t offset, std::span<char> buffer,
                                      const std::atomic<bool>* cancel) {
  auto file = FindFile(handle);
  if (!file) return std::move(file).error();
  auto got = (*file)->reader->Read(offset, buffer, cancel);
  if (got) counters_.Add(Counter::kBytesServed, *got);
  return got;
}

Result<cache::ReadView> Filesystem::Impl::ReadInPlace(uint64_t handle, uint64_t offset, size_t size,
                                                      const std::atomic<bool>* cancel) {
  auto file = FindFile(handle);
  if (!file) return std::move(file).error();
  auto view = (*file)->reader->ReadInPlace(offset, size, cancel);
  if (view) counters_.Add(Counter::kBytesServed, view->size());
  return view;
}

void Filesystem::Impl::Release(uint64_t handle) {
  std::shared_ptr<FileHandle> released;  // destroyed after the lock: may cancel fetches
  std::lock_guard<std::mutex> lock(mu_);
  auto it = file_handles_.find(handle);
  if (it == file_handles_.end()) return;
  released = std::move(it->second);
  file_handles_.erase(it);
}

}  // namespace swiftfs::core
