#pragma once
// Filesystem: every filesystem operation as a method returning Result<...>, with no FUSE
// types, so the whole behaviour is testable against a fake ObjectClient. The FUSE adapter
// (fs/fuse) translates fuse_lowlevel calls into these methods and Errors into errno.
//
// Inode numbers are assigned from a counter and stay stable for the life of the mount
// (a name keeps its inode while the kernel holds a lookup on it). kRootInode is the mount
// root: the account, a container, or a pseudo-directory inside one.
//
// Thread-safety: every method may be called concurrently from FUSE worker threads.
// No method holds a lock across a network request.

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/shared_space.h"
#include "swiftfs/cache/version_metadata.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

using InodeId = uint64_t;
inline constexpr InodeId kRootInode = 1;
// Entries a lookup asks for when it probes whether a name is a pseudo-directory: a full
// listing of a small directory, a few kilobytes of a big one (see FirstPageStore).
inline constexpr uint32_t kLookupProbeEntries = 100;

// Where a file's mtime comes from (man page, SEMANTICS).
enum class MtimeSource : uint8_t {
  // X-Object-Meta-Mtime when the version carries one, else its Last-Modified: one HEAD per
  // object version, remembered (VersionMetadataStore).
  kMeta,
  // Always Last-Modified (the listing's last_modified, a HEAD's X-Timestamp): nothing
  // beyond the listing.
  kServer,
};

struct FsOptions {
  std::string container;  // empty: the root lists the account's containers
  std::string prefix;     // pseudo-directory inside `container` used as root ("" or "a/b/")
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t umask = 022;
  bool read_only = true;
  std::chrono::duration<double> attr_timeout{60.0};       // kernel + our attribute cache
  std::chrono::duration<double> entry_timeout{60.0};      // kernel name cache
  std::chrono::duration<double> negative_timeout{10.0};   // cached "no such name"
  std::chrono::duration<double> dir_cache_timeout{60.0};  // how long a listing stays fresh
  size_t max_cached_entries = 200'000;                    // bound on cached metadata
  // A directory listing more entries than this is not held whole: its open handles read
  // it a chunk at a time (the first this many entries, then a listing page's worth), and
  // it never goes into the directory cache, so lookups in it ask Swift. This bounds a
  // handle's memory (about 150-200 bytes an entry) whatever the directory's size. 0: every
  // directory is held whole.
  size_t stream_directory_entries = 50'000;
  bool list_until_empty_page = false;  // keep listing past short pages (Ceph RGW)
  // A 0-byte listing entry may be a DLO manifest (they list as 0 bytes), so by default its
  // size is confirmed with a HEAD on first stat/open. False trusts listings (no_dlo_check):
  // `ls -l` of many empty objects costs no HEADs, but DLO manifests then show 0 bytes.
  bool verify_zero_byte_objects = true;
  MtimeSource mtime = MtimeSource::kMeta;
  // Threads that fetch object versions' metadata (HEADs) ahead of the stats of `ls -l`.
  size_t meta_fetchers = 16;
  // rename(2) of a directory copies and deletes each object under it (Swift has no
  // rename), its marker included; above this many objects it refuses with kCrossDevice
  // (EXDEV) before changing anything, so mv falls back to copying file by file.
  size_t rename_directory_max_objects = 1000;

  // --- Writing files (fs/core/file_upload.h) ---
  // Size of the SLO segments of a large file: a file smaller than this is one PUT; a larger
  // one is uploaded in segments of this size (in parallel, while it is written) and
  // published by one manifest. Raised to the cluster's slo min_segment_size and lowered to
  // its max_file_size; the largest file is segment_size x slo max_manifest_segments (32 GiB
  // with the defaults and Swift's 1000 segments), EFBIG past it.
  uint64_t segment_size = uint64_t{32} << 20;
  // Segment uploads in flight at once, for the whole mount; each holds one segment in
  // memory, so writing memory is about (this + files being written) x segment_size.
  uint32_t parallel_segment_uploads = 4;
  // Directory of the local copies of files being written (random writes, appends,
  // truncate, reads of a file being written). Empty: $XDG_CACHE_HOME/swiftfs, else
  // /var/tmp. The files are unlinked at once: nothing is left behind after a crash.
  std::string staging_dir;
  // Bytes all local copies together may hold: a write needing more fails with ENOSPC
  // (the disk itself is never filled). A file written in order needs none of it to be
  // uploaded; a file changed in place needs its changed blocks (1 MiB each).
  uint64_t staging_size = uint64_t{8} << 30;
};

struct AttrReply {
  struct stat attr {};
  std::chrono::duration<double> timeout{0};
};

struct EntryReply {
  InodeId ino = 0;
  uint64_t generation = 0;
  struct stat attr {};
  std::chrono::duration<double> attr_timeout{0};
  std::chrono::duration<double> entry_timeout{0};  // also used for negative entries (ino 0)
};

struct DirEntry {
  std::string name;
  EntryReply entry;          // entry.ino and entry.attr.st_mode always set; full attrs for plus
  uint64_t next_offset = 0;  // offset to resume after this entry
};

struct OpenReply {
  uint64_t handle = 0;
  bool keep_cache = false;  // object unchanged since the kernel cached its pages
};

struct CreateReply {
  EntryReply entry;  // the new name, with one lookup counted
  OpenReply open;    // the handle the creating open(2) writes through
};

// What a setattr changes; an absent field is left alone.
struct SetAttrRequest {
  std::optional<uint64_t> size;  // truncate(2)/ftruncate(2): shrink or grow (zeros)
  std::optional<struct timespec> mtime;
  std::optional<struct timespec> atime;
  std::optional<mode_t> mode;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
};

enum class RenameMode {
  kReplace,    // rename(2): an existing destination is replaced
  kNoReplace,  // RENAME_NOREPLACE: kExists if the destination exists
  kExchange,   // RENAME_EXCHANGE: not possible on Swift (kInvalidArgument)
};

class Filesystem {
 public:
  // `readers` makes the FileReader of each open file (the Prefetcher, or
  // cache::SimpleFileReaderFactory); `counters` receives cache hits/misses and bytes served.
  // `versions` remembers object versions' metadata (null: an in-memory store of
  // max_cached_entries versions). `staging_space` (null: none) is where the staging area
  // also takes its bytes from: the disk cache, when staging lives under cache_dir. Every
  // committed file's bytes that are still held locally are offered to `readers`
  // (FileReaderFactory::Committed). Every reference must outlive the Filesystem.
  Filesystem(FsOptions options, swift::ObjectClient& client, cache::FileReaderFactory& readers,
             Clock& clock, Logger& logger, Counters& counters,
             cache::VersionMetadataStore* versions = nullptr,
             cache::SharedSpace* staging_space = nullptr);
  // Convenience for tests and tools: a SimpleFileReaderFactory and private Counters.
  Filesystem(FsOptions options, swift::ObjectClient& client, Clock& clock, Logger& logger);
  ~Filesystem();
  Filesystem(const Filesystem&) = delete;
  Filesystem& operator=(const Filesystem&) = delete;

  // Checks that the root exists (container / prefix), fetches cluster info. Called once
  // before mounting so a wrong container fails the mount with a clear message.
  Status Init();

  // Resolves `name` in directory `parent`. On success the inode's lookup count grows by
  // one (the kernel will Forget it). kNotFound may come with a negative-cache timeout:
  // see NegativeEntryTimeout(). kNameTooLong for names over 255 bytes.
  // `cancel` is the request's interrupt flag (a FUSE interrupt sets it), as for Read: with
  // one, a small file's metadata may come from one GET of it whole (its bytes kept for the
  // open), which the interrupt ends with kCancelled; without one, from a HEAD.
  Result<EntryReply> Lookup(InodeId parent, std::string_view name,
                            const std::atomic<bool>* cancel = nullptr);
  std::chrono::duration<double> NegativeEntryTimeout() const;

  // Drops `nlookup` lookups; an inode with none left may be freed.
  void Forget(InodeId ino, uint64_t nlookup);

  // `cancel`: as for Lookup.
  Result<AttrReply> GetAttr(InodeId ino, const std::atomic<bool>* cancel = nullptr);
  Result<std::string> ReadLink(InodeId ino);

  // Directory handles hold a snapshot (a huge directory: a chunk of it and where to go
  // on, see FsOptions::stream_directory_entries) so offsets stay meaningful across
  // readdir calls.
  Result<uint64_t> OpenDir(InodeId ino);
  // Emits entries from `offset` (0 = start, including "." and ".."). `emit` returns false
  // when the reply buffer is full; that entry is not consumed. With `plus`, each entry
  // emit accepted (other than "." and "..") counts as one lookup of its inode. A listing
  // error while streaming a huge directory is returned after the entries already emitted
  // (those stay valid); the next call, from the offset after them, tries again.
  Status ReadDir(InodeId ino, uint64_t handle, uint64_t offset, bool plus,
                 const std::function<bool(const DirEntry&)>& emit);
  void ReleaseDir(uint64_t handle);

  // Opens a file for reading (kReadOnly for write access on a read-only mount,
  // kIsADirectory for directories). `cancel`: as for Lookup.
  Result<OpenReply> Open(InodeId ino, int flags, const std::atomic<bool>* cancel = nullptr);
  // Reads into `buffer` at `offset`; returns bytes read (short only at end of file).
  // kPreconditionFailed if the object changed since Open.
  // `cancel`, when it becomes true (a FUSE interrupt), ends the read with kCancelled.
  Result<size_t> Read(uint64_t handle, uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* cancel = nullptr);
  // Like Read, but the bytes may stay in the reader's buffers (cache::ReadView): the FUSE
  // adapter replies from them without copying.
  Result<cache::ReadView> ReadInPlace(uint64_t handle, uint64_t offset, size_t size,
                                      const std::atomic<bool>* cancel = nullptr);
  void Release(uint64_t handle);

  // --- Writes (kReadOnly on a read-only mount). A file's new content becomes visible in
  // Swift only whole, at Flush, Fsync or Release of the last writer; the errors of that
  // upload are returned by Flush and Fsync, never only logged at Release.

  // Creates `name` in `parent` and opens it (open(2) with O_CREAT). kExists with O_EXCL
  // when the name exists.
  Result<CreateReply> Create(InodeId parent, std::string_view name, mode_t mode, int flags);
  // Writes `data` at `offset` through a handle opened for writing; returns bytes taken.
  Result<size_t> Write(uint64_t handle, uint64_t offset, std::span<const char> data);
  // close(2) of one descriptor of `handle`: commits what was written, returns the upload's
  // outcome.
  Status Flush(uint64_t handle);
  // fsync(2): on success the data written so far is in Swift and visible; writing may go on.
  Status Fsync(uint64_t handle, bool datasync);
  // chmod/chown/truncate/utimens. `handle`: the open file of an ftruncate/futimens.
  Result<AttrReply> SetAttr(InodeId ino, const SetAttrRequest& request,
                            std::optional<uint64_t> handle);
  Result<EntryReply> MkDir(InodeId parent, std::string_view name, mode_t mode);
  Status RmDir(InodeId parent, std::string_view name);
  Status Unlink(InodeId parent, std::string_view name);
  Status Rename(InodeId parent, std::string_view name, InodeId new_parent,
                std::string_view new_name, RenameMode mode);
  // user.swift.meta.<name> sets Swift metadata X-Object-Meta-<name>.
  Status SetXattr(InodeId ino, std::string_view name, std::string_view value, int flags);
  Status RemoveXattr(InodeId ino, std::string_view name);

  Result<struct statvfs> StatFs();

  // Value of an extended attribute (kNoData when absent) and the names present.
  Result<std::string> GetXattr(InodeId ino, std::string_view name);
  Result<std::vector<std::string>> ListXattr(InodeId ino);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace swiftfs::core
