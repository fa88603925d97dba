// The write half of the callback table: like the read half (fuse_adapter.cc), each callback
// translates one request into one core::Filesystem call and replies after it returned, so no
// core lock is held across a fuse_reply_*. Whether a write is allowed at all (a mount with
// -o ro answers EROFS) and what it does to Swift is the core's business.
//
// What the kernel sends, and what we do not ask for:
// - No writeback cache (see Init in fuse_adapter.cc): every write(2) reaches Write() as it
//   happens (up to 1 MiB a request), so an upload error can fail the write(2) itself, and
//   close(2) (FLUSH) and fsync(2) see every byte written before them.
// - `write`, not `write_buf`: without splice (not wanted, see Init) libfuse hands both the
//   bytes where they sit in its receive buffer, so write_buf would save no copy.
// - Operations Swift cannot represent answer a fixed errno, documented in the man page's
//   SEMANTICS: special files, symbolic and hard links EPERM (as on vfat); fallocate and
//   copy_file_range EOPNOTSUPP (posix_fallocate(3) then writes zeros, and the kernel or cp
//   falls back to reading and writing).
// - No fsyncdir: libfuse answers ENOSYS, which the kernel remembers and turns into success
//   from then on; a name operation is in Swift (or failed) when it returns.

#include <fcntl.h>

#include <cerrno>
#include <ctime>
#include <optional>
#include <span>
#include <string>

#include "fuse/reply.h"
#include "fuse/write_requests.h"

namespace swiftfs::fuse::internal {
namespace {

// Replies 0 or the status's errno (with its log line).
void ReplyStatus(fuse_req_t req, const char* op, const std::string& what, const Status& status) {
  if (!status.ok()) return ReplyError(req, op, what, status.error());
  fuse_reply_err(req, 0);
}

// A fixed refusal for an operation Swift cannot represent; `why` goes to the debug log.
void Refuse(fuse_req_t req, const char* op, int err, const char* why) {
  Guarded(req, op, true, [&] {
    AdapterOf(req).logger().Debug(std::string(op) + ": refused, " + why);
    fuse_reply_err(req, err);
  });
}

void Create(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, fuse_file_info* fi) {
  Guarded(req, "create", true, [&] {
    auto& fs = AdapterOf(req).filesystem();
    auto created = fs.Create(parent, name, mode, fi->flags);
    if (!created) return ReplyError(req, "create", InoName(parent, name), created.error());
    fuse_entry_param param = ToEntryParam(created->entry);
    fi->fh = created->open.handle;
    fi->keep_cache = created->open.keep_cache ? 1 : 0;
    fi->direct_io = 0;
    if (fuse_reply_create(req, &param, fi) != 0) {
      // The creator was interrupted: the kernel neither counted the lookup nor holds the
      // handle. Releasing it still commits the (empty) new file, which open(2) made.
      fs.Forget(created->entry.ino, 1);
      fs.Release(created->open.handle);
    }
  });
}

void Write(fuse_req_t req, fuse_ino_t ino, const char* buf, size_t size, off_t offset,
           fuse_file_info* fi) {
  Guarded(req, "write", true, [&] {
    const std::string what =
        Ino(ino) + " offset=" + std::to_string(offset) + " size=" + std::to_string(size);
    if (offset < 0) {
      return ReplyError(req, "write", what,
                        MakeError(ErrorCode::kInvalidArgument, "negative offset"));
    }
    auto written = AdapterOf(req).filesystem().Write(fi->fh, static_cast<uint64_t>(offset),
                                                     std::span<const char>(buf, size));
    if (!written) return ReplyError(req, "write", what, written.error());
    fuse_reply_write(req, *written);
  });
}

// close(2) of one descriptor: the upload's outcome is the return value of close.
void Flush(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Guarded(req, "flush", true,
          [&] { ReplyStatus(req, "flush", Ino(ino), AdapterOf(req).filesystem().Flush(fi->fh)); });
}

void Fsync(fuse_req_t req, fuse_ino_t ino, int datasync, fuse_file_info* fi) {
  Guarded(req, "fsync", true, [&] {
    ReplyStatus(req, "fsync", Ino(ino), AdapterOf(req).filesystem().Fsync(fi->fh, datasync != 0));
  });
}

void SetAttr(fuse_req_t req, fuse_ino_t ino, struct stat* attr, int to_set, fuse_file_info* fi) {
  Guarded(req, "setattr", true, [&] {
    struct timespec now {};
    const auto wall = AdapterOf(req).clock().Now().time_since_epoch();
    now.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(wall).count();
    now.tv_nsec =
        std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count() % 1'000'000'000;
    const core::SetAttrRequest request = ToSetAttrRequest(*attr, to_set, now);
    std::optional<uint64_t> handle;
    if (fi != nullptr) handle = fi->fh;  // ftruncate/futimens/fchmod on an open file
    auto reply = AdapterOf(req).filesystem().SetAttr(ino, request, handle);
    if (!reply) {
      return ReplyError(req, "setattr", Ino(ino) + " to_set=" + std::to_string(to_set),
                        reply.error());
    }
    fuse_reply_attr(req, &reply->attr, reply->timeout.count());
  });
}

void MkDir(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode) {
  Guarded(req, "mkdir", true, [&] {
    auto& fs = AdapterOf(req).filesystem();
    auto entry = fs.MkDir(parent, name, mode);
    if (!entry) return ReplyError(req, "mkdir", InoName(parent, name), entry.error());
    fuse_entry_param param = ToEntryParam(*entry);
    if (fuse_reply_entry(req, &param) != 0) fs.Forget(entry->ino, 1);
  });
}

void RmDir(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Guarded(req, "rmdir", true, [&] {
    ReplyStatus(req, "rmdir", InoName(parent, name),
                AdapterOf(req).filesystem().RmDir(parent, name));
  });
}

void Unlink(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Guarded(req, "unlink", true, [&] {
    ReplyStatus(req, "unlink", InoName(parent, name),
                AdapterOf(req).filesystem().Unlink(parent, name));
  });
}

void Rename(fuse_req_t req, fuse_ino_t parent, const char* name, fuse_ino_t new_parent,
            const char* new_name, unsigned flags) {
  Guarded(req, "rename", true, [&] {
    const std::string what = InoName(parent, name) + " -> " + InoName(new_parent, new_name);
    auto mode = ToRenameMode(flags);
    if (!mode) return ReplyError(req, "rename", what, mode.error());
    ReplyStatus(req, "rename", what,
                AdapterOf(req).filesystem().Rename(parent, name, new_parent, new_name, *mode));
  });
}

void SetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, const char* value, size_t size,
              int flags) {
  Guarded(req, "setxattr", true, [&] {
    ReplyStatus(
        req, "setxattr", Ino(ino) + " name='" + name + "'",
        AdapterOf(req).filesystem().SetXattr(ino, name, std::string_view(value, size), flags));
  });
}

void RemoveXattr(fuse_req_t req, fuse_ino_t ino, const char* name) {
  Guarded(req, "removexattr", true, [&] {
    ReplyStatus(req, "removexattr", Ino(ino) + " name='" + name + "'",
                AdapterOf(req).filesystem().RemoveXattr(ino, name));
  });
}

// mknod(2) of a regular file is creat(2) followed by close(2); anything else (device,
// FIFO, socket) has no Swift form.
void MkNod(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, dev_t) {
  if (!S_ISREG(mode)) return Refuse(req, "mknod", EPERM, "special files have no Swift form");
  Guarded(req, "mknod", true, [&] {
    auto& fs = AdapterOf(req).filesystem();
    auto created = fs.Create(parent, name, mode, O_WRONLY | O_CREAT | O_EXCL);
    if (!created) return ReplyError(req, "mknod", InoName(parent, name), created.error());
    Status committed = fs.Flush(created->open.handle);
    fs.Release(created->open.handle);
    if (!committed.ok()) {
      fs.Forget(created->entry.ino, 1);
      return ReplyError(req, "mknod", InoName(parent, name), committed.error());
    }
    fuse_entry_param param = ToEntryParam(created->entry);
    if (fuse_reply_entry(req, &param) != 0) fs.Forget(created->entry.ino, 1);
  });
}

void SymLink(fuse_req_t req, const char*, fuse_ino_t, const char*) {
  Refuse(req, "symlink", EPERM, "creating symbolic links is not supported");
}
void Link(fuse_req_t req, fuse_ino_t, fuse_ino_t, const char*) {
  Refuse(req, "link", EPERM, "Swift has no hard links");
}
void Fallocate(fuse_req_t req, fuse_ino_t, int, off_t, off_t, fuse_file_info*) {
  Refuse(req, "fallocate", EOPNOTSUPP, "Swift cannot reserve space");
}
void CopyFileRange(fuse_req_t req, fuse_ino_t, off_t, fuse_file_info*, fuse_ino_t, off_t,
                   fuse_file_info*, size_t, int) {
  Refuse(req, "copy_file_range", EOPNOTSUPP, "the caller falls back to read and write");
}

}  // namespace

void AddWriteOperations(fuse_lowlevel_ops& ops) {
  ops.create = Create;
  ops.write = Write;
  ops.flush = Flush;
  ops.fsync = Fsync;
  ops.setattr = SetAttr;
  ops.mkdir = MkDir;
  ops.rmdir = RmDir;
  ops.unlink = Unlink;
  ops.rename = Rename;
  ops.setxattr = SetXattr;
  ops.removexattr = RemoveXattr;
  ops.mknod = MkNod;
  ops.symlink = SymLink;
  ops.link = Link;
  ops.fallocate = Fallocate;
  ops.copy_file_range = CopyFileRange;
}

}  // namespace swiftfs::fuse::internal
