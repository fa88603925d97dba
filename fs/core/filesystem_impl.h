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
#include <unordered_map>
#include <utility>

#include "core/directory_stream.h"
#include "core/first_page_store.h"
#include "core/inode_table.h"
#include "core/listing_fetcher.h"
#include "core/object_attrs.h"
#include "core/symlink_target.h"
#include "swiftfs/cache/directory_cache.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/metadata_cache.h"
#include "swiftfs/cache/simple_file_reader.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

using Duration = std::chrono::steady_clock::duration;

// Probe pages kept for the listing that follows a lookup (FirstPageStore).
inline constexpr size_t kFirstPagesKept = 64;

// Where an inode lives, copied out of the table so network calls run unlocked.
struct Location {
  InodeId ino = 0;
  cache::EntryKind kind = cache::EntryKind::kDirectory;
  std::string container;
  std::string key;
};

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
  struct DirHandle {
    DirHandle(Location where, DirectoryStream entries)
        : dir(std::move(where)), stream(std::move(entries)) {}
    const Location dir;
    std::mutex mu;           // serialises ReadDirs of this handle; see LOCK ORDERING
    DirectoryStream stream;  // GUARDED_BY(mu): the entries offsets index into
    bool served = false;     // GUARDED_BY(mu): a ReadDir has used the stream
  };
  struct FileHandle {
    InodeId ino = 0;
    std::unique_ptr<cache::FileReader> reader;  // thread-safe itself
  };

  // --- locations and keys ---
  bool IsAccountRoot(const Location& dir) const { return dir.container.empty(); }
  static std::string DirCacheKey(const std::string& container, const std::string& prefix);
  static std::string ObjectCacheKey(const Location& loc);
  // The directory holding `loc` and the name `loc` has in it.
  static std::pair<std::string, std::string_view> ParentPrefix(const Location& loc);
  Location ChildLocation(const Location& dir, std::string_view name, cache::EntryKind kind) const;
  Result<Location> LocateLocked(InodeId ino) const;  // REQUIRES(mu_)
  Result<Location> Locate(InodeId ino) const;

  // --- attributes ---
  ObjectAttrs AttrsFromListing(const cache::DirectoryListing& listing,
                               const cache::ListingEntry& entry, const Location& loc) const;
  ObjectAttrs AttrsFromHead(const swift::ObjectInfo& info, const Location& loc) const;
  ObjectAttrs DirectoryAttrs(swift::WallTime mtime) const;
  // HEAD of `loc` through the MetadataCache; kNotFound is cached as a negative entry.
  Result<std::shared_ptr<const swift::ObjectInfo>> HeadCached(const Location& loc);
  // Current attributes of a file or symlink: fresh listing of its directory, else HEAD.
  // kNotFound when it is gone. `kind` is the kind Swift now reports.
  Result<std::pair<cache::EntryKind, ObjectAttrs>> FetchAttrs(const Location& loc);
  // Records `attrs` on the inode (if it still exists) and returns the kernel's stat.
  struct stat StoreAttrs(InodeId ino, const ObjectAttrs& attrs);
  // Adds the child to the table with one lookup and builds the reply. REQUIRES(mu_)
  EntryReply InstallLocked(InodeId parent, std::string_view name, const Location& loc,
                           const ObjectAttrs& attrs);
  std::chrono::duration<double> AttrTimeout(const ObjectAttrs& attrs) const;

  // The open file `handle`, kept alive for a read outside the lock.
  Result<std::shared_ptr<FileHandle>> FindFile(uint64_t handle) const;
  // --- lookups that miss the parent's listing ---
  Result<std::pair<Location, ObjectAttrs>> ResolveByRequests(const Location& dir,
                                                             std::string_view name);
  // The beginning of `dir`'s listing: the whole listing (through the DirectoryCache) when
  // it has at most options_.stream_directory_entries entries, else its first chunk, which
  // never goes into the cache (a partial listing there would answer "no such name").
  Result<ListingChunk> StartListing(const Location& dir);
  size_t StreamThreshold() const;

  const FsOptions options_;
  const MountRoot root_;
  swift::ObjectClient& client_;
  Clock& clock_;
  Logger& logger_;
  std::unique_ptr<Counters> own_counters_;
  Counters& counters_;
  std::unique_ptr<cache::FileReaderFactory> own_readers_;
  cache::FileReaderFactory& readers_;
  const swift::WallTime mount_time_;
  const Duration attr_ttl_;
  const Duration negative_ttl_;
  const Duration dir_ttl_;

  cache::MetadataCache metadata_;
  cache::DirectoryCache directories_;
  ListingFetcher fetcher_;
  FirstPageStore first_pages_;

  mutable std::mutex mu_;
  InodeTable inodes_;                                                       // GUARDED_BY(mu_)
  uint64_t next_handle_ = 1;                                                // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::shared_ptr<DirHandle>> dir_handles_;    // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::shared_ptr<FileHandle>> file_handles_;  // GUARDED_BY(mu_)
  std::optional<std::pair<std::chrono::steady_clock::time_point, struct statvfs>>
      statfs_cache_;  // GUARDED_BY(mu_)
};

}  // namespace swiftfs::core
