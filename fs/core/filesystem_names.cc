// The namespace operations: MkDir, RmDir, Unlink, Rename, SetXattr, RemoveXattr, and what
// every write shares with them: NoteCommitted, which makes this mount read its own writes
// (the local overlay in DirectoryState, local_changes.h).
#include "core/filesystem_impl.h"

namespace swiftfs::core {

void Filesystem::Impl::NoteCommitted(InodeId ino, const Location& loc, const ObjectAttrs& attrs) {
  dirs_.NoteWritten(loc.container, loc.key, attrs);
  heads_.Invalidate(loc);
  if (ino != 0) inodes_.SetAttrs(ino, attrs);
}

}  // namespace swiftfs::core
