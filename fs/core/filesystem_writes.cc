// File data: Create, Write, Flush, Fsync, SetAttr, and what Open/Release need for handles
// open for writing. Each inode being written has one Upload (upload.h, file_upload.h) in
// the UploadTable, shared by its writers; this file only routes operations to it and
// records what a commit published (AfterCommit). Swift's view changes only at a commit:
// Flush (close), Fsync, the release of the last writer, or a truncate/utimens of a file
// nobody has open.
//
// ATTRIBUTES (semantics for the man page):
//  - mtime: every commit stores X-Object-Meta-Mtime, the time of the last write or the
//    one utimens set after it; utimens of a file not being written is a POST that keeps
//    the object's other metadata. atime is not stored.
//  - chmod, chown: accepted and ignored (the mount's uid, gid and umask options decide
//    what stat shows), so cp -p, rsync -a, tar -x and git clone work; the change is not
//    kept.
//  - truncate: to 0 of a file not open is one PUT of an empty object; to another size,
//    or ftruncate of an open file, goes through the file's local copy and is published
//    like any other write.
#include <fcntl.h>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"

namespace swiftfs::core {

namespace {

swift::WallTime FromTimespec(const struct timespec& t) {
  return swift::WallTime(std::chrono::duration_cast<swift::WallTime::duration>(
      std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec)));
}

Error ReadOnly() { return MakeError(ErrorCode::kReadOnly, "read-only filesystem"); }

}  // namespace

std::optional<ObjectAttrs> Filesystem::Impl::WrittenAttrs(InodeId ino, const ObjectAttrs& stored) {
  std::shared_ptr<Upload> upload = uploads_.FindActive(ino);
  if (!upload) return std::nullopt;
  const UploadState state = upload->State();
  ObjectAttrs attrs = stored;
  attrs.size = state.size;
  attrs.mtime = state.mtime;
  attrs.size_verified = true;
  if (!state.committed_etag.empty()) attrs.etag = state.committed_etag;
  return attrs;
}

std::shared_ptr<Upload> Filesystem::Impl::NewFileUpload(InodeId ino, const Location& loc,
                                                        bool exclusive) {
  UploadTarget target = TargetOf(ino, loc);
  target.new_file = true;
  target.exclusive = exclusive;
  return upload_factory_.Start(std::move(target), [this, ino, loc](const CommitOutcome& outcome) {
    AfterCommit(ino, loc, outcome);
  });
}

Result<std::shared_ptr<Upload>> Filesystem::Impl::StartUpload(InodeId ino, const Location& loc,
                                                              bool truncate) {
  auto info = heads_.Head(loc);
  if (!info) {
    if (info.error().code == ErrorCode::kNotFound) return NewFileUpload(ino, loc, false);
    return std::move(info).error();
  }
  const swift::ObjectInfo& object = **info;
  UploadTarget target = TargetOf(ino, loc);
  target.content_type = object.content_type;
  target.metadata = object.metadata;
  target.metadata.erase("mtime");  // every commit writes its own
  target.previous_may_be_slo = object.is_slo;
  if (!truncate) {
    target.base_etag = object.etag;
    target.base_size = object.size;
    target.base_mtime = object.meta_mtime.value_or(object.last_modified);
  }
  return upload_factory_.Start(std::move(target), [this, ino, loc](const CommitOutcome& outcome) {
    AfterCommit(ino, loc, outcome);
  });
}

void Filesystem::Impl::AfterCommit(InodeId ino, const Location& loc, const CommitOutcome& outcome) {
  ObjectAttrs attrs;
  attrs.size = outcome.size;
  attrs.mtime = outcome.mtime;
  attrs.etag = outcome.etag;
  attrs.size_verified = true;
  attrs.expiry = clock_.Monotonic() + ToDuration(options_.attr_timeout);
  Location published = loc;
  published.container = outcome.container;
  published.key = outcome.name;
  // The overlay lists it at once, the HEAD cache forgets the old version (or 404), the
  // inode gets the new attributes.
  NoteCommitted(ino, published, attrs);
  // What the kernel caches of the file since the write open is the committed content.
  inodes_.SwapCachedEtag(ino, outcome.etag);
}

UploadTarget Filesystem::Impl::TargetOf(InodeId ino, const Location& loc) {
  UploadTarget target;
  target.container = loc.container;
  target.name = loc.key;
  target.where = [this, ino]() -> std::optional<std::pair<std::string, std::string>> {
    // A rename moves the inode (InodeStore::Move), an unlink detaches it.
    if (!inodes_.Linked(ino)) return std::nullopt;
    auto now = inodes_.Locate(ino);
    if (!now) return std::nullopt;
    return std::make_pair(now->container, now->key);
  };
  return target;
}

Result<OpenReply> Filesystem::Impl::OpenForWrite(const InodeSnapshot& inode, int flags) {
  const InodeId ino = inode.loc.ino;
  const bool truncate = (flags & O_TRUNC) != 0;
  std::shared_ptr<Upload> upload = uploads_.FindActive(ino);
  if (!upload) {
    // A retained upload is reused only while the object is still what it committed.
    if (std::shared_ptr<Upload> retained = uploads_.Find(ino)) {
      auto attrs = CurrentAttrs(inode);
      if (attrs && attrs->etag == retained->State().committed_etag) {
        upload = retained;
      } else {
        uploads_.Drop(ino);
      }
    }
  }
  if (!upload) {
    auto started = StartUpload(ino, inode.loc, truncate);
    if (!started) return std::move(started).error();
    upload = std::move(*started);
  }
  upload = uploads_.AddWriter(ino, std::move(upload));
  if (truncate && upload->State().size != 0) {
    if (Status truncated = upload->Truncate(0); !truncated) {
      FinishUpload(ino, upload);
      return std::move(truncated).error();
    }
  }
  auto handle = std::make_shared<FileHandle>(ino, std::make_unique<UploadReader>(upload));
  handle->upload = upload;
  inodes_.SwapCachedEtag(ino, "");  // the kernel drops what it cached of the old content
  OpenReply reply;
  reply.handle = file_handles_.Add(std::move(handle));
  return reply;
}

void Filesystem::Impl::FinishUpload(InodeId ino, const std::shared_ptr<Upload>& upload) {
  if (!uploads_.RemoveWriter(ino)) return;
  Status committed = upload->Commit();
  if (!committed) {
    // Flush or fsync already returned this error to the program.
    logger_.Error("release: file not stored: " + committed.error().ToString());
    uploads_.Drop(ino);
    return;
  }
  // Retained copies are a read cache: together they may hold at most half the staging
  // budget, the rest stays for files being written.
  if (upload->State().local_bytes <= staging_.capacity() / (2 * UploadTable::kRetained)) {
    uploads_.Retain(ino);
  } else {
    uploads_.Drop(ino);
  }
}

Result<CreateReply> Filesystem::Impl::Create(InodeId parent, std::string_view name, mode_t mode,
                                             int flags) {
  (void)mode;  // permissions are the mount's (see the ATTRIBUTES note above)
  if (options_.read_only) return ReadOnly();
  if (Status valid = ValidateLookupName(name); !valid) return std::move(valid).error();
  auto dir = inodes_.Locate(parent);
  if (!dir) return std::move(dir).error();
  if (dir->kind != EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "create in a non-directory");
  }
  if (IsAccountRoot(*dir)) {
    return MakeError(ErrorCode::kNotSupported, "files cannot be created outside a container");
  }
  auto existing = Lookup(parent, name, nullptr);
  if (existing) {
    // The kernel's negative entry was stale: open(2) semantics on the existing name.
    Error refused;
    if (flags & O_EXCL) {
      refused = MakeError(ErrorCode::kExists, "file exists", 0, std::string(name));
    } else if (S_ISDIR(existing->attr.st_mode)) {
      refused = MakeError(ErrorCode::kIsADirectory, "is a directory", 0, std::string(name));
    } else {
      auto open = Open(existing->ino, flags);
      if (open) return CreateReply{*existing, *open};
      refused = std::move(open).error();
    }
    Forget(existing->ino, 1);
    return refused;
  }
  if (existing.error().code != ErrorCode::kNotFound) return std::move(existing).error();

  const Location loc = ChildLocation(*dir, name, EntryKind::kFile);
  ObjectAttrs attrs;
  attrs.mtime = clock_.Now();
  attrs.expiry = clock_.Monotonic();  // Swift knows nothing of it until the first commit
  const InodeStore::Installed installed = inodes_.Install(parent, name, loc, attrs);
  heads_.Invalidate(loc);  // the 404 the kernel's lookup cached
  std::shared_ptr<Upload> upload =
      uploads_.AddWriter(installed.ino, NewFileUpload(installed.ino, loc, (flags & O_EXCL) != 0));
  auto handle = std::make_shared<FileHandle>(installed.ino, std::make_unique<UploadReader>(upload));
  handle->upload = upload;
  inodes_.SwapCachedEtag(installed.ino, "");
  CreateReply reply;
  reply.open.handle = file_handles_.Add(std::move(handle));
  reply.entry = attrs_.Entry(installed.ino, EntryKind::kFile,
                             WrittenAttrs(installed.ino, attrs).value_or(attrs));
  return reply;
}

Result<size_t> Filesystem::Impl::Write(uint64_t handle, uint64_t offset,
                                       std::span<const char> data) {
  auto file = FindFile(handle);
  if (!file) return std::move(file).error();
  if (!(*file)->upload) return MakeError(ErrorCode::kInvalidArgument, "not open for writing");
  return (*file)->upload->Write(offset, data);
}

Status Filesystem::Impl::Flush(uint64_t handle) {
  auto file = FindFile(handle);
  if (!file) return std::move(file).error();
  if (!(*file)->upload) return OkStatus();
  return (*file)->upload->Commit();
}

Status Filesystem::Impl::Fsync(uint64_t handle, bool /*datasync*/) { return Flush(handle); }

// The POST makes a new version (fast-POST: a new timestamp): the caller records it with
// MetadataPosted, as setxattr does, so listings held and version metadata show the new mtime.
Result<swift::WallTime> Filesystem::Impl::PostMtime(const Location& loc, swift::WallTime mtime) {
  auto info = heads_.Head(loc);
  if (!info) return std::move(info).error();
  std::map<std::string, std::string> metadata = (*info)->metadata;  // POST replaces them all
  metadata["mtime"] = MtimeText(mtime);
  Status posted = client_.PostObject(loc.container, loc.key, metadata, "");
  heads_.Invalidate(loc);
  if (!posted) return std::move(posted).error();
  return mtime;
}

Result<AttrReply> Filesystem::Impl::SetAttr(InodeId ino, const SetAttrRequest& request,
                                            std::optional<uint64_t> handle) {
  (void)handle;  // an open file's upload is the inode's: found by inode
  if (options_.read_only) return ReadOnly();
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (inode->loc.kind == EntryKind::kDirectory) {
    if (request.size) return MakeError(ErrorCode::kIsADirectory, "truncate of a directory");
    return GetAttr(ino);  // times and permissions of directories: nothing to keep
  }
  if (inode->loc.kind != EntryKind::kFile) return GetAttr(ino);
  std::optional<swift::WallTime> mtime;
  if (request.mtime) mtime.emplace(FromTimespec(*request.mtime));

  if (std::shared_ptr<Upload> upload = uploads_.FindActive(ino)) {
    if (request.size) {
      if (Status truncated = upload->Truncate(*request.size); !truncated) {
        return std::move(truncated).error();
      }
    }
    if (mtime) {
      const UploadState state = upload->State();
      if (state.dirty || state.committed_etag.empty()) {
        upload->SetMtime(*mtime, false);  // stored by the coming commit
      } else {
        auto posted = PostMtime(inode->loc, *mtime);
        if (!posted) return std::move(posted).error();
        upload->SetMtime(*mtime, false);
        MetadataPosted(ino, inode->loc);
      }
    }
    return GetAttr(ino);
  }

  if (request.size) {
    // truncate(2) of a file nobody has open: a short-lived upload, committed at once.
    auto started = StartUpload(ino, inode->loc, *request.size == 0);
    if (!started) return std::move(started).error();
    std::shared_ptr<Upload> upload = uploads_.AddWriter(ino, std::move(*started));
    Status changed = upload->Truncate(*request.size);
    if (changed && mtime) upload->SetMtime(*mtime, false);
    Status committed = changed ? upload->Commit() : changed;
    FinishUpload(ino, upload);
    if (!committed) return std::move(committed).error();
    return GetAttr(ino);
  }
  if (mtime) {
    auto posted = PostMtime(inode->loc, *mtime);
    if (!posted) return std::move(posted).error();
    MetadataPosted(ino, inode->loc);
  }
  return GetAttr(ino);
}

}  // namespace swiftfs::core
