#pragma once
// Filesystem::Impl: the coordinator behind core::Filesystem. It owns no state of its own
// beyond the parts below; each operation is a short method that asks them in turn:
//
//   InodeStore      inode_store.h     the inodes the kernel knows; snapshots; fresh-or-ask
//   DirectoryState  directory_state.h cached whole listings, streamed ones, probe pages;
//                                     the streaming decision (later: the local overlay)
//   ObjectHeads     object_heads.h    HEADs through the MetadataCache (positive, negative)
//   AttrBuilder     attr_builder.h    attributes from a listing entry / HEAD / directory
//   HandleTable<T>  handle_table.h    open directory and file handles (open_handles.h)
//   FsStats         fs_stats.h        statfs, cached
//   ListingFetcher  listing_fetcher.h Swift listings -> DirectoryListings, whole or chunked
//
// The operations live in three files by kind: filesystem_entries.cc (lookup, getattr,
// readlink, forget, statfs, xattrs), filesystem_dirs.cc (opendir/readdir) and
// filesystem_files.cc (open/read/release); filesystem.cc has construction, Init, the
// attribute fetch they share and the public face. A new operation (a write: create,
// write, flush, unlink, rename) is one more short method here; its state goes into the
// part that owns it (dirty attributes: InodeStore; names created here: DirectoryState's
// overlay; open-for-write handles and uploads: a HandleTable of their own, see
// open_handles.h), never into this class.
//
// Where answers come from, cheapest first: the inode's own attributes while fresh; the
// parent directory's fresh listing, which also answers "no such name"; the MetadataCache
// of HEAD results (positive and negative); and only then Swift. A file whose attributes
// came from a fresh listing is looked up, stat'ed and opened with no request at all. The
// one exception is a 0-byte listing entry, which may be a DLO manifest (they list as 0
// bytes): its size is confirmed by HEAD on lookup/getattr/open, never per readdir entry
// (readdirplus hands it out with attr_timeout 0 so the kernel asks again). A directory too
// large to hold (FsOptions::stream_directory_entries) never has a cached listing: names in
// it are resolved by requests.
//
// LOCK ORDERING. Every lock, who owns it and what it guards:
//   DirHandle::mu              one per open directory: the readdirs of that handle
//   DirectoryState::mu_        listings being started (single flight)
//   InodeStore::mu_            the inode table
//   HandleTable<DirHandle>::mu_, HandleTable<FileHandle>::mu_   the handle maps
//   FsStats::mu_               the cached statvfs
//   the caches, leaves:        DirectoryCache, FirstPageStore, MetadataCache (and the
//                              FileReaders' and ObjectClient's own)
// Allowed order (a lock may be taken while holding only locks listed before it):
//   DirHandle::mu  <  DirectoryState::mu_  <  DirectoryCache / FirstPageStore
//   DirHandle::mu  <  InodeStore::mu_
// Every other lock is a leaf: nothing else is taken while it is held, and no two
// DirHandle::mu are ever held together. DirHandle::mu is the one lock held across
// listing requests (and the emit callback of ReadDir); nobody waits on it but a readdir
// of the same handle. No other lock is held across an ObjectClient call, a FileReader
// read or a wait for another thread's listing.
// This order is checked by no compiler: the mutexes are private members of different
// classes, out of ACQUIRED_BEFORE's reach. What each guards (GUARDED_BY, REQUIRES) is
// checked by clang's -Wthread-safety.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/attr_builder.h"
#include "core/directory_state.h"
#include "core/file_upload.h"
#include "core/fs_stats.h"
#include "core/handle_table.h"
#include "core/inode_store.h"
#include "core/listing_fetcher.h"
#include "core/location.h"
#include "core/object_attrs.h"
#include "core/object_heads.h"
#include "core/open_handles.h"
#include "core/upload_table.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

class Filesystem::Impl {
 public:
  Impl(FsOptions options, swift::ObjectClient& client, cache::FileReaderFactory* readers,
       Clock& clock, Logger& logger, Counters* counters);

  Status Init();
  Result<EntryReply> Lookup(InodeId parent, std::string_view name);
  std::chrono::duration<double> NegativeEntryTimeout() const { return options_.negative_timeout; }
  void Forget(InodeId ino, uint64_t nlookup);
  Result<AttrReply> GetAttr(InodeId ino);
  Result<std::string> ReadLink(InodeId ino);
  Result<uint64_t> OpenDir(InodeId ino);
  Status ReadDir(InodeId ino, uint64_t handle, uint64_t offset, bool plus,
                 const std::function<bool(const DirEntry&)>& emit);
  void ReleaseDir(uint64_t handle);
  Result<OpenReply> Open(InodeId ino, int flags);
  Result<size_t> Read(uint64_t handle, uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* cancel);
  Result<cache::ReadView> ReadInPlace(uint64_t handle, uint64_t offset, size_t size,
                                      const std::atomic<bool>* cancel);
  void Release(uint64_t handle);
  Result<CreateReply> Create(InodeId parent, std::string_view name, mode_t mode, int flags);
  Result<size_t> Write(uint64_t handle, uint64_t offset, std::span<const char> data);
  Status Flush(uint64_t handle);
  Status Fsync(uint64_t handle, bool datasync);
  Result<AttrReply> SetAttr(InodeId ino, const SetAttrRequest& request,
                            std::optional<uint64_t> handle);
  Result<EntryReply> MkDir(InodeId parent, std::string_view name, mode_t mode);
  Status RmDir(InodeId parent, std::string_view name);
  Status Unlink(InodeId parent, std::string_view name);
  Status Rename(InodeId parent, std::string_view name, InodeId new_parent,
                std::string_view new_name, RenameMode mode);
  Status SetXattr(InodeId ino, std::string_view name, std::string_view value, int flags);
  Status RemoveXattr(InodeId ino, std::string_view name);
  Result<struct statvfs> StatFs();
  Result<std::string> GetXattr(InodeId ino, std::string_view name);
  Result<std::vector<std::string>> ListXattr(InodeId ino);

 private:
  // Current attributes of a file or symlink: fresh listing of its directory, else HEAD.
  // kNotFound when it is gone. `kind` is the kind Swift now reports.
  Result<std::pair<EntryKind, ObjectAttrs>> FetchAttrs(const Location& loc);
  // The attributes of the file or symlink `inode`: its own while fresh (InodeStore
  // decides), else fetched and recorded. kNotFound when it is gone or another kind now.
  Result<ObjectAttrs> CurrentAttrs(const InodeSnapshot& inode);

  // The readdir entry of `entry` in directory `ino` at `dir` (from `listing`): with `plus`
  // installed with one lookup and full attributes; else only its inode number (a
  // synthetic one if it has none) and type.
  EntryReply ListedEntry(InodeId ino, const Location& dir, const DirectoryListing& listing,
                         const ListingEntry& entry, bool plus);
  // The open file `handle`, kept alive for a read outside any lock.
  Result<std::shared_ptr<FileHandle>> FindFile(uint64_t handle) const;

  // --- writes (filesystem_writes.cc) ---
  // Writes this far ahead of the end of a streamed file wait for the gap to fill (the
  // kernel's parallel writes arrive a little out of order) before it is staged instead.
  static constexpr uint64_t kReorderWindow = uint64_t{4} << 20;
  // Segment size and largest file from the cluster's limits (Init).
  void SetUploadLimits(const swift::ClusterInfo& info);
  // The attributes of `ino` while an upload of it is active, from the upload.
  std::optional<ObjectAttrs> WrittenAttrs(InodeId ino, const ObjectAttrs& stored);
  // An upload of the file at `loc` (inode `ino`): empty when `truncate`, else over the
  // object's current content (one HEAD, usually cached). A missing object: a new file.
  Result<std::shared_ptr<Upload>> StartUpload(InodeId ino, const Location& loc, bool truncate);
  std::shared_ptr<Upload> NewFileUpload(InodeId ino, const Location& loc, bool exclusive);
  // Opens `inode` for writing: the handle shares the inode's upload.
  Result<OpenReply> OpenForWrite(const InodeSnapshot& inode, int flags);
  // Records a commit: inode attributes, caches.
  void AfterCommit(InodeId ino, const Location& loc, const CommitOutcome& outcome);
  // The last writer of `ino` is gone: commit (best effort, logged), keep or drop.
  void FinishUpload(InodeId ino, const std::shared_ptr<Upload>& upload);
  Result<swift::WallTime> PostMtime(const Location& loc, swift::WallTime mtime);

  // A lookup that misses the parent's listing: `name` by requests.
  Result<std::pair<Location, ObjectAttrs>> ResolveByRequests(const Location& dir,
                                                             std::string_view name);

  const FsOptions options_;
  swift::ObjectClient& client_;
  Clock& clock_;
  Logger& logger_;
  std::unique_ptr<Counters> own_counters_;
  Counters& counters_;
  std::unique_ptr<cache::FileReaderFactory> own_readers_;
  cache::FileReaderFactory& readers_;
  const AttrBuilder attrs_;
  ObjectHeads heads_;
  FsStats stats_;
  ListingFetcher fetcher_;
  DirectoryState dirs_;

  InodeStore inodes_;
  // Writing: the staging budget, the mount-wide segment upload slots, what every upload
  // shares (its limits set by Init from the cluster's), and the uploads by inode.
  StagingArea staging_;
  SegmentSlots slots_;
  std::atomic<uint64_t> upload_seq_{0};
  const uint64_t upload_seed_;
  UploadEnv upload_env_;
  FileUploadFactory upload_factory_;
  UploadTable uploads_;

  // After dirs_: a directory handle's stream calls back into it, so it must go first.
  // After uploads_: a file handle holds an upload, released before the table goes.
  HandleTable<DirHandle> dir_handles_;
  HandleTable<FileHandle> file_handles_;
};

}  // namespace swiftfs::core
