#pragma once
// What the kernel's open handles stand for (kept in HandleTables by the coordinator).
//
// A directory handle is a DirectoryStream over one listing snapshot or stream, so offsets
// stay meaningful across readdirs; its own mutex serialises the readdirs of that handle
// (the kernel sends them one at a time anyway) and is the one lock held across listing
// requests: nobody waits on it but a readdir of the same handle.
//
// A file handle pins the version it opened (its FileReader reads with If-Match). A handle
// open for writing refers to the inode's Upload (upload.h: its own state machine and
// lock), and reads through it (UploadReader), so it sees what was written.

#include <memory>
#include <utility>

#include "core/directory_stream.h"
#include "core/location.h"
#include "core/timed_out_range.h"
#include "core/upload.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

struct DirHandle {
  DirHandle(Location where, DirectoryStream entries)
      : dir(std::move(where)), stream(std::move(entries)) {}
  const Location dir;
  Mutex mu;                               // serialises ReadDirs of this handle; see LOCK ORDERING
  DirectoryStream stream GUARDED_BY(mu);  // the entries offsets index into
  bool served GUARDED_BY(mu) = false;     // a ReadDir has used the stream
  // Small (held) directories with mtime=meta: entries before this offset had their
  // versions' HEADs queued by a readdirplus past the first buffer (filesystem_dirs.cc).
  uint64_t meta_queued_until GUARDED_BY(mu) = 0;
};

struct FileHandle {
  FileHandle(InodeId inode, std::unique_ptr<cache::FileReader> file_reader)
      : ino(inode), reader(std::move(file_reader)) {}
  InodeId ino = 0;
  std::unique_ptr<cache::FileReader> reader;  // thread-safe itself
  // Set for a handle open for writing: the inode's upload, shared with its other writers.
  std::shared_ptr<Upload> upload;
  TimedOutRange timed_out;  // so the kernel's retry of it fails at once
};

}  // namespace swiftfs::core
