#pragma once
// Filesystem::Impl: the state behind core::Filesystem and the helpers its operations share.
// The operations live in three files: filesystem_entries.cc (lookup, getattr, readlink,
// forget, statfs, xattrs), filesystem_dirs.cc (opendir/readdir) and filesystem_files.cc
// (open/read/release).
//
// Where answers come from, cheapest first: the inode's own attributes while fresh; the
// parent directory's fresh listing (DirectoryCache), which also answers "no such name";
// the MetadataCache of HEAD results (positive and negative); and only then Swift. A file
// whose attributes came from a fresh listing is looked up, stat'ed and opened with no
// request at all. A directory too large to hold (FsOptions::stream_directory_entries)
// never has a cached listing: names in it are resolved by requests. The one exception is a 0-byte
// listing entry, which may be a DLO manifest (they list as 0 bytes): its size is confirmed by HEAD
// on lookup/getattr/open, never per readdir entry (readdirplus hands it out with attr_timeout 0 so
// the kernel asks again).
//
// LOCK ORDERING: DirHandle::mu, then mu_, then the caches' mutexes (leaf locks); never
// the reverse. DirHandle::mu only serialises the readdirs of one handle (the kernel sends
// them one at a time anyway) and is the one lock held across listing requests: no other
// thread waits on it but a readdir of the same handle. mu_ is never held across an
// ObjectClient call or a FileReader read, and the emit callback of ReadDir runs without it.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/attr_builder.h"
#include "core/directory_state.h"
#include "core/handle_table.h"
#include "core/inode_store.h"
#include "core/listing_fetcher.h"
#include "core/location.h"
#include "core/object_attrs.h"
#include "core/open_handles.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/metadata_cache.h"
#include "swiftfs/cache/simple_file_reader.h"
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
  Result<size_t> Read(uint64_t handle, uint64_t offset, std::span<char> buffer);
  Result<cache::ReadView> ReadInPlace(uint64_t handle, uint64_t offset, size_t size);
  void Release(uint64_t handle);
  Result<struct statvfs> StatFs();
  Result<std::string> GetXattr(InodeId ino, std::string_view name);
  Result<std::vector<std::string>> ListXattr(InodeId ino);

 private:
  // HEAD of `loc` through the MetadataCache; kNotFound is cached as a negative entry.
  Result<std::shared_ptr<const swift::ObjectInfo>> HeadCached(const Location& loc);
  // Current attributes of a file or symlink: fresh listing of its directory, else HEAD.
  // kNotFound when it is gone. `kind` is the kind Swift now reports.
  Result<std::pair<cache::EntryKind, ObjectAttrs>> FetchAttrs(const Location& loc);
  // The attributes of the file or symlink `inode`: its own while fresh (InodeStore
  // decides), else fetched and recorded. kNotFound when it is gone or another kind now.
  Result<ObjectAttrs> CurrentAttrs(const InodeSnapshot& inode);

  // The open file `handle`, kept alive for a read outside any lock.
  Result<std::shared_ptr<FileHandle>> FindFile(uint64_t handle) const;

  // --- lookups that miss the parent's listing ---
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
  const Duration attr_ttl_;
  const Duration negative_ttl_;

  cache::MetadataCache metadata_;
  ListingFetcher fetcher_;
  DirectoryState dirs_;

  InodeStore inodes_;
  HandleTable<DirHandle> dir_handles_;
  HandleTable<FileHandle> file_handles_;

  std::mutex statfs_mu_;
  std::optional<std::pair<std::chrono::steady_clock::time_point, struct statvfs>>
      statfs_cache_;  // GUARDED_BY(statfs_mu_)
};

}  // namespace swiftfs::core
