// The write half of the callback table. swiftfs mounts are read-only: with the kernel's
// `ro` flag most writes never reach us, but the table still answers every one of them
// with EROFS (rather than libfuse's default ENOSYS, which would read as "not supported"
// and is cached by the kernel for some operations).

#include <cerrno>

#include "fuse/reply.h"

namespace swiftfs::fuse::internal {
namespace {

void Refuse(fuse_req_t req, const char* op) {
  Guarded(req, op, true, [&] {
    AdapterOf(req).logger().Debug(std::string(op) + ": refused, read-only filesystem");
    fuse_reply_err(req, EROFS);
  });
}

void SetAttr(fuse_req_t req, fuse_ino_t, struct stat*, int, fuse_file_info*) {
  Refuse(req, "setattr");
}
void MkNod(fuse_req_t req, fuse_ino_t, const char*, mode_t, dev_t) { Refuse(req, "mknod"); }
void MkDir(fuse_req_t req, fuse_ino_t, const char*, mode_t) { Refuse(req, "mkdir"); }
void Unlink(fuse_req_t req, fuse_ino_t, const char*) { Refuse(req, "unlink"); }
void RmDir(fuse_req_t req, fuse_ino_t, const char*) { Refuse(req, "rmdir"); }
void SymLink(fuse_req_t req, const char*, fuse_ino_t, const char*) { Refuse(req, "symlink"); }
void Rename(fuse_req_t req, fuse_ino_t, const char*, fuse_ino_t, const char*, unsigned) {
  Refuse(req, "rename");
}
void Link(fuse_req_t req, fuse_ino_t, fuse_ino_t, const char*) { Refuse(req, "link"); }
void Write(fuse_req_t req, fuse_ino_t, const char*, size_t, off_t, fuse_file_info*) {
  Refuse(req, "write");
}
void Create(fuse_req_t req, fuse_ino_t, const char*, mode_t, fuse_file_info*) {
  Refuse(req, "create");
}
void SetXattr(fuse_req_t req, fuse_ino_t, const char*, const char*, size_t, int) {
  Refuse(req, "setxattr");
}
void RemoveXattr(fuse_req_t req, fuse_ino_t, const char*) { Refuse(req, "removexattr"); }
void Fallocate(fuse_req_t req, fuse_ino_t, int, off_t, off_t, fuse_file_info*) {
  Refuse(req, "fallocate");
}
void CopyFileRange(fuse_req_t req, fuse_ino_t, off_t, fuse_file_info*, fuse_ino_t, off_t,
                   fuse_file_info*, size_t, int) {
  Refuse(req, "copy_file_range");
}

}  // namespace

void AddReadOnlyOperations(fuse_lowlevel_ops& ops) {
  ops.setattr = SetAttr;
  ops.mknod = MkNod;
  ops.mkdir = MkDir;
  ops.unlink = Unlink;
  ops.rmdir = RmDir;
  ops.symlink = SymLink;
  ops.rename = Rename;
  ops.link = Link;
  ops.write = Write;
  ops.create = Create;
  ops.setxattr = SetXattr;
  ops.removexattr = RemoveXattr;
  ops.fallocate = Fallocate;
  ops.copy_file_range = CopyFileRange;
}

}  // namespace swiftfs::fuse::internal
