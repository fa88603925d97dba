#pragma once
// Filesystem::Impl: the coordinator behind core::Filesystem. It owns no state of its own
// beyond the parts below; each operation is a short method that asks them in turn:
//
//   InodeStore      inode_store.h     the inodes the kernel knows; snapshots; fresh-or-ask
//   DirectoryState  directory_state.h cached whole listings, streamed ones, probe pages;
//                                     the streaming decision; the local overlay of what
//                                     this mount changed (local_changes.h)
//   ObjectHeads     object_heads.h    HEADs through the MetadataCache (positive, negative)
//   AttrBuilder     attr_builder.h    attributes from a listing entry / HEAD / directory
//   HandleTable<T>  handle_table.h    open directory and file handles (open_handles.h)
//   FsStats         fs_stats.h        statfs, cached
//   ListingFetcher  listing_fetcher.h Swift listings -> DirectoryListings, whole or chunked
//   VersionFetcher  version_fetcher.h object versions' metadata (mtime=meta, xattrs): the
//                                     VersionMetadataStore, else HEADs, parallel, bounded
//
// The operations live in files by kind: filesystem_entries.cc (lookup, getattr,
// readlink, forget, statfs, xattrs), filesystem_dirs.cc (opendir/readdir),
// filesystem_files.cc (open/read/release), filesystem_names.cc (mkdir, rmdir, unlink,
// setxattr, removexattr) and filesystem_rename.cc (rename); filesystem.cc has construction, Init,
// the attribute fetch they share and the public face. A new operation (a write: create, write,
// flush, unlink, rename) is one more short method here; its state goes into the part that owns it
// (dirty attributes: InodeStore; names created here: DirectoryState's overlay; open-for-write
// handles and uploads: a HandleTable of their own, see open_handles.h), never into this class.
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
// With mtime=meta (the default) a listed file's mtime also needs its version's metadata
// (X-Object-Meta-Mtime): from the VersionMetadataStore, else one HEAD per version, ever.
// readdirplus never waits for it: an entry whose version is not known yet is handed out
// with its listing attributes and attr_timeout 0 (mtime_verified false), so the stat that
// follows asks getattr, which waits for that version's HEAD and queues the next
// kMetaPrefetchAhead entries' HEADs for the VersionFetcher's workers: `ls -l` stats in
// listing order, so its HEADs run in parallel ahead of it, while `find` and `ls` cost none.
// The next entries come from the directory's cached listing, or for a streamed directory
// (none cached) from what its readdirpluses handed out (StatLookahead): readdirplus
// itself queues no HEAD of a streamed directory, since the kernel sends its first one to
// every walk, `find` included.
//
// LOCK ORDERING. Every lock, who owns it and what it guards:
//   DirHandle::mu              one per open directory: the readdirs of that handle
//   DirectoryState::mu_        listings being started (single flight); noting a local
//                              change and merging it into the cached listing
//   LocalChanges::mu_          the local overlay (local_changes.h)
//   InodeStore::mu_            the inode table
//   HandleTable<DirHandle>::mu_, HandleTable<FileHandle>::mu_   the handle maps
//   FsStats::mu_               the cached statvfs
//   VersionFetcher::mu_        versions being fetched and queued
//   StatLookahead::mu_         the files streamed readdirpluses handed out (a leaf)
//   the caches, leaves:        DirectoryCache, FirstPageStore, MetadataCache, the
//                              VersionMetadataStore's (and the FileReaders' and
//                              ObjectClient's own)
// Allowed order (a lock may be taken while holding only locks listed before it):
//   DirHandle::mu  <  DirectoryState::mu_  <  LocalChanges / DirectoryCache / FirstPageStore
//   DirHandle::mu  <  InodeStore::mu_
//   VersionFetcher::mu_  <  the VersionMetadataStore's
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
#include <vector>

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
#include "core/stat_lookahead.h"
#include "core/upload_table.h"
#include "core/version_fetcher.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

// Entries after the one a stat needed whose versions' HEADs are queued (mtime=meta).
inline constexpr size_t kMetaPrefetchAhead = 128;

// The interrupt flag of the FUSE request being answered (fuse/interrupts.h), null when the
// caller has none. Metadata may come from a GET of a small file whole (MetadataFromBody)
// only with one: a GET's body can stall after its headers, and only the interrupt lets a
// Ctrl-C end it. Without one, a HEAD answers.
using Interrupt = const std::atomic<bool>*;

class Filesystem::Impl {
 public:
  Impl(FsOptions options, swift::ObjectClient& client, cache::FileReaderFactory* readers,
       Clock& clock, Logger& logger, Counters* counters, cache::VersionMetadataStore* versions,
       cache::SharedSpace* staging_space);

  Status Init();
  Result<EntryReply> Lookup(InodeId parent, std::string_view name, Interrupt interrupt);
  std::chrono::duration<double> NegativeEntryTimeout() const { return options_.negative_timeout; }
  void Forget(InodeId ino, uint64_t nlookup);
  Result<AttrReply> GetAttr(InodeId ino, Interrupt interrupt = nullptr);
  Result<std::string> ReadLink(InodeId ino);
  Result<uint64_t> OpenDir(InodeId ino);
  Status ReadDir(InodeId ino, uint64_t handle, uint64_t offset, bool plus,
                 const std::function<bool(const DirEntry&)>& emit);
  void ReleaseDir(uint64_t handle);
  Result<OpenReply> Open(InodeId ino, int flags, Interrupt interrupt = nullptr);
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
  // Current attributes of a file or symlink: fresh listing of its directory (or one
  // listed now, when the directory is busy: DirectoryState::ListingFor), else HEAD.
  // kNotFound when it is gone. `kind` is the kind Swift now reports.
  // `listed`: the version a readdirplus handed out unverified, whose queued HEAD (if still
  // pending) answers instead of a HEAD of its own.
  Result<std::pair<EntryKind, ObjectAttrs>> FetchAttrs(const Location& loc,
                                                       const cache::VersionKey* listed = nullptr,
                                                       Interrupt interrupt = nullptr);
  // The same from a HEAD (through the metadata cache) only, or from the pending HEAD of
  // `listed`.
  Result<std::pair<EntryKind, ObjectAttrs>> HeadAttrs(const Location& loc,
                                                      const cache::VersionKey* listed = nullptr);
  // The attributes of the file or symlink `inode`: its own while fresh (InodeStore
  // decides), else fetched and recorded. kNotFound when it is gone or another kind now.
  Result<ObjectAttrs> CurrentAttrs(const InodeSnapshot& inode, Interrupt interrupt = nullptr);

  // Attributes of the file, symlink or directory `entry` of `listing`, at `loc`: with
  // mtime=meta a file's version metadata is waited for (and the next entries' queued).
  Result<ObjectAttrs> ListedAttrs(const DirectoryListing& listing, const ListingEntry& entry,
                                  const Location& loc, Interrupt interrupt = nullptr);
  // The metadata of the file `entry` at `loc` (version `key`) from one GET of it whole,
  // whose bytes the readers keep for the open (FileReaderFactory::FetchForLookup); nullopt
  // when the readers did not fetch it or another version answered: HEAD instead.
  // kCancelled when `interrupt` (never null here) ended the wait.
  std::optional<Result<cache::VersionMetadata>> MetadataFromBody(const ListingEntry& entry,
                                                                 const Location& loc,
                                                                 const cache::VersionKey& key,
                                                                 Interrupt interrupt);
  // True when the file before entry `index` of `listing` (in directory of `loc`) had its
  // version metadata asked for: stats in listing order, worth fetching ahead.
  bool FollowsListingOrder(const DirectoryListing& listing, size_t index, const Location& loc);
  // The version `entry` (a file or symlink at `loc`) names.
  static cache::VersionKey VersionOf(const Location& loc, const ListingEntry& entry);
  // WantedVersion::file_size of a listed entry: its size when a GET of it returns its own
  // bytes (a plain file whose listed size is its size), else 0.
  static uint64_t FileSize(const ListingEntry& entry);
  // The version of `entry` (at `loc`) to fetch ahead.
  static WantedVersion Wanted(const Location& loc, const ListingEntry& entry);
  // Queues the HEADs of the kMetaPrefetchAhead files after `entry` in `listing` (`loc` is
  // `entry`'s location).
  void PrefetchAfter(const DirectoryListing& listing, const ListingEntry& entry,
                     const Location& loc);
  // A stat of the file at `loc`, listed as `listed` whose mtime is not verified yet: when
  // a streamed readdirplus handed it out (StatLookahead), queues the HEADs of the files it
  // handed out after it, as ListedAttrs does in a cached listing.
  void QueueAfterStat(const Location& loc, const ObjectAttrs& listed);
  // Queues the HEADs of the versions of up to kMetaPrefetchAhead files of `chunk` (of the
  // directory `dir`), from the entry `from` on.
  void QueueChunkVersions(const Location& dir, const DirectoryListing& chunk,
                          const ListingEntry& from);
  // The metadata of the current version of the file `inode` (xattrs).
  Result<swift::ObjectInfo> VersionInfo(const InodeSnapshot& inode);

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
  // The target of an upload of inode `ino` at `loc`, following renames and unlinks.
  UploadTarget TargetOf(InodeId ino, const Location& loc);
  // Records a commit: inode attributes, caches.
  void AfterCommit(InodeId ino, const Location& loc, const CommitOutcome& outcome);
  // The last writer of `ino` is gone: commit (best effort, logged), keep or drop.
  void FinishUpload(InodeId ino, const std::shared_ptr<Upload>& upload);
  Result<swift::WallTime> PostMtime(const Location& loc, swift::WallTime mtime);

  // What `name` in `dir` is now (local overlay, fresh listing, requests), without
  // installing an inode. kNotFound when nothing has that name.
  Result<std::pair<Location, ObjectAttrs>> Resolve(const Location& dir, std::string_view name,
                                                   Interrupt interrupt = nullptr);
  // What the local overlay says of `name` in `dir`: `found` when it answers (kNotFound
  // when it knows the name is gone), else ask as usual; `directory_removed` when a
  // directory of that name was removed here (only a file of that name may remain).
  struct LocalAnswer {
    std::optional<std::pair<Location, ObjectAttrs>> found;
    bool directory_removed = false;
  };
  Result<LocalAnswer> LocalLookup(const Location& dir, std::string_view name);
  // A file this mount just committed (an upload's PUT or manifest PUT, a rename's copy):
  // `loc` now holds `attrs` (size, etag, mtime; fresh). Records it in the local overlay
  // (lookups and readdirs show it at once, however Swift's listing lags), forgets the
  // cached HEAD (or 404) of the name, and gives inode `ino` (0: none) the new attributes.
  // The one call an upload makes after its commit (filesystem_names.cc).
  void NoteCommitted(InodeId ino, const Location& loc, const ObjectAttrs& attrs);
  // After a POST changed the metadata of the file `ino` at `loc` (filesystem_names.cc).
  void MetadataPosted(InodeId ino, const Location& loc);

  // --- Shared by the namespace operations (filesystem_names.cc, filesystem_rename.cc) ---
  // The directory `parent`, for a change of `name` in it: kReadOnly on a read-only mount
  // (before anything else), then the name's checks and kNotADirectory.
  Result<Location> WritableDir(InodeId parent, std::string_view name);
  // The entry `name` in `dir` (inode `parent`) as a namespace operation sees it: with
  // `trust_inode` the inode the kernel knows by that name, if any (the operation asks
  // Swift about it anyway); else what Resolve finds, and failing that the known inode (a
  // file created here whose upload has not committed yet is in no listing). kNotFound
  // when neither.
  struct Existing {
    InodeId ino = 0;  // 0: no inode holds the name
    Location loc;
    ObjectAttrs attrs;
  };
  Result<Existing> FindExisting(InodeId parent, const Location& dir, std::string_view name,
                                bool trust_inode);
  // OK when the directory `dir` holds nothing but its own marker, else kNotEmpty. Asks
  // Swift (a flat listing of the prefix, 2 entries; more only when what it shows was
  // removed here and the listing lags) and the overlay (what was written here and not
  // listed yet).
  Status CheckEmpty(const Location& dir);
  // The segments of the SLO at `loc` that deleting it may delete too (own_segments.h);
  // empty when it is no SLO or they are not its own.
  std::vector<swift::SloSegment> OwnSegmentsOf(const Location& loc, const swift::ObjectInfo& info);
  // Best-effort deletion of segments no manifest names any more (a replaced file's).
  void DeleteSegments(const std::vector<swift::SloSegment>& segments);
  Status RenameFile(const Existing& source, InodeId new_parent, const Location& target,
                    const std::optional<Existing>& replaced, RenameMode mode);
  Status RenameDirectory(const Existing& source, InodeId new_parent, const Location& target);
  // The objects under directory `dir` a directory rename moves: Swift's flat listing
  // of the prefix (the marker included), less what was removed here, plus what was written
  // here and is not listed yet. kCrossDevice past rename_directory_max_objects.
  Result<std::vector<swift::ListEntry>> ObjectsToMove(const Location& dir);

  // A lookup that misses the parent's listing: `name` by requests.
  Result<std::pair<Location, ObjectAttrs>> ResolveByRequests(const Location& dir,
                                                             std::string_view name,
                                                             bool skip_directory_probe,
                                                             Interrupt interrupt);
  // `name` as `listing` of `dir` shows it (a 0-byte file: HEAD, it may be a DLO).
  Result<std::pair<Location, ObjectAttrs>> ResolveInListing(const Location& dir,
                                                            const DirectoryListing& listing,
                                                            std::string_view name,
                                                            Interrupt interrupt);

  const FsOptions options_;
  swift::ObjectClient& client_;
  Clock& clock_;
  Logger& logger_;
  std::unique_ptr<Counters> own_counters_;
  Counters& counters_;
  std::unique_ptr<cache::FileReaderFactory> own_readers_;
  cache::FileReaderFactory& readers_;
  const AttrBuilder attrs_;
  std::unique_ptr<cache::VersionMetadataStore> own_versions_;
  cache::VersionMetadataStore& versions_;
  VersionFetcher metas_;
  StatLookahead lookahead_;  // what streamed readdirpluses handed out, for the stats after
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
