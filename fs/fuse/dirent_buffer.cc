#include "fuse/dirent_buffer.h"

#include <fuse_lowlevel.h>

#include <string>

namespace swiftfs::fuse {

DirentBuffer::DirentBuffer(size_t capacity, bool plus)
    : bytes_(new char[capacity]), capacity_(capacity), plus_(plus) {}

bool DirentBuffer::Add(const core::DirEntry& entry) {
  // libfuse's packers ignore `req` (it is kept in the signature for future use), so the
  // buffer can be filled before or without a request, as the unit tests do.
  char* dest = bytes_.get() + used_;
  const size_t room = capacity_ - used_;
  const auto offset = static_cast<off_t>(entry.next_offset);
  size_t needed;
  if (plus_) {
    fuse_entry_param param{};
    param.ino = entry.entry.ino;
    param.generation = entry.entry.generation;
    param.attr = entry.entry.attr;
    param.attr_timeout = entry.entry.attr_timeout.count();
    param.entry_timeout = entry.entry.entry_timeout.count();
    needed = fuse_add_direntry_plus(nullptr, dest, room, entry.name.c_str(), &param, offset);
  } else {
    struct stat attr {};
    attr.st_ino = entry.entry.ino;
    attr.st_mode = entry.entry.attr.st_mode;
    needed = fuse_add_direntry(nullptr, dest, room, entry.name.c_str(), &attr, offset);
  }
  // The packers return the entry's size whether or not they wrote it.
  if (needed > room) return false;
  used_ += needed;
  ++entries_;
  if (plus_ && entry.name != "." && entry.name != "..") counted_.push_back(entry.entry.ino);
  return true;
}

Status FillDirBuffer(core::Filesystem& fs, core::InodeId ino, uint64_t handle, uint64_t offset,
                     DirentBuffer& buffer) {
  return fs.ReadDir(ino, handle, offset, buffer.plus(),
                    [&buffer](const core::DirEntry& entry) { return buffer.Add(entry); });
}

}  // namespace swiftfs::fuse
