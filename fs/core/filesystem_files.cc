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
//
// Handles open for writing, and reads of a file being written or just written here, go
// to the inode's Upload instead (filesystem_writes.cc).
#include <fcntl.h>

#include "core/filesystem_impl.h"
#include "core/listed_position.h"

namespace swiftfs::core {

Result<OpenReply> Filesystem::Impl::Open(InodeId ino, int flags, Interrupt interrupt) {
  const bool write_intent = (flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_APPEND));
  if (write_intent && options_.read_only) {
    return MakeError(ErrorCode::kReadOnly, "read-only filesystem");
  }

  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (inode->loc.kind == EntryKind::kDirectory) {
    return MakeError(ErrorCode::kIsADirectory, "open of a directory");
  }
  if (inode->loc.kind == EntryKind::kSymlink) {
    return MakeError(ErrorCode::kInvalidArgument, "open of a symlink");
  }
  if (write_intent) return OpenForWrite(*inode, flags);
  if (std::shared_ptr<Upload> upload = uploads_.FindActive(ino)) {
    // Being written: read what was written (the object in Swift is not it yet).
    OpenReply reply;
    reply.handle = file_handles_.Add(
        std::make_shared<FileHandle>(ino, std::make_unique<UploadReader>(upload)));
    return reply;
  }
  auto attrs = CurrentAttrs(*inode, interrupt);
  if (!attrs) return std::move(attrs).error();
  if (std::shared_ptr<Upload> retained = uploads_.Find(ino)) {
    // Just written here: served from its local copy while Swift still holds that version,
    // if that copy holds every byte. Else the readers serve it, as any object: the upload
    // would fetch what it lacks into the staging area (and past its budget fail with
    // ENOSPC), where the readers take it from the disk cache, which a streamed file
    // too large to keep locally went to as it was written.
    const UploadState state = retained->State();
    if (!attrs->etag.empty() && state.committed_etag == attrs->etag &&
        state.local_bytes >= state.size) {
      OpenReply reply;
      reply.keep_cache = inodes_.SwapCachedEtag(ino, attrs->etag);
      reply.handle = file_handles_.Add(
          std::make_shared<FileHandle>(ino, std::make_unique<UploadReader>(retained)));
      return reply;
    }
  }

  cache::ObjectVersion version;
  version.container = inode->loc.container;
  version.name = inode->loc.key;
  version.etag = attrs->etag;
  version.size = attrs->size;
  // The file's place in its directory's listing lets the reader factory read the next
  // files ahead of a walk (rsync, cp -r, tar); the reader pins `version` all the same.
  std::optional<cache::ListedPosition> listed = ListedPositionOf(dirs_, inode->loc);
  auto handle = std::make_shared<FileHandle>(
      ino, listed ? readers_.OpenListed(version, *listed) : readers_.Open(version));

  OpenReply reply;
  reply.keep_cache = inodes_.SwapCachedEtag(ino, attrs->etag);
  reply.handle = file_handles_.Add(std::move(handle));
  return reply;
}

Result<std::shared_ptr<FileHandle>> Filesystem::Impl::FindFile(uint64_t handle) const {
  std::shared_ptr<FileHandle> file = file_handles_.Find(handle);
  if (!file) return MakeError(ErrorCode::kInvalidArgument, "unknown file handle");
  return file;
}

Result<size_t> Filesystem::Impl::Read(uint64_t handle, uint64_t offset, std::span<char> buffer,
                                      const std::atomic<bool>* cancel) {
  auto file = FindFile(handle);
  if (!file) return std::move(file).error();
  FileHandle& f = **file;
  const uint64_t end = offset + buffer.size();
  if (auto recent = f.timed_out.Check(offset, end, clock_.Monotonic())) return *recent;
  auto got = f.reader->Read(offset, buffer, cancel);
  if (got) {
    counters_.Add(Counter::kBytesServed, *got);
  } else {
    f.timed_out.Record(offset, end, got.error(), clock_.Monotonic());
  }
  return got;
}

Result<cache::ReadView> Filesystem::Impl::ReadInPlace(uint64_t handle, uint64_t offset, size_t size,
                                                      const std::atomic<bool>* cancel) {
  auto file = FindFile(handle);
  if (!file) return std::move(file).error();
  FileHandle& f = **file;
  const uint64_t end = offset + size;
  if (auto recent = f.timed_out.Check(offset, end, clock_.Monotonic())) return *recent;
  auto view = f.reader->ReadInPlace(offset, size, cancel);
  if (view) {
    counters_.Add(Counter::kBytesServed, view->size());
  } else {
    f.timed_out.Record(offset, end, view.error(), clock_.Monotonic());
  }
  return view;
}

void Filesystem::Impl::Release(uint64_t handle) {
  std::shared_ptr<FileHandle> file = file_handles_.Find(handle);
  // Destroyed outside any lock, as it may cancel fetches (handle_table.h).
  file_handles_.Release(handle);
  // The last writer of a file commits what flush did not (best effort: errors are logged,
  // flush returned them).
  if (file && file->upload) FinishUpload(file->ino, file->upload);
}

}  // namespace swiftfs::core
