// Directory handles: OpenDir takes a snapshot of the directory's listing (shared with the
// directory cache, fetched once for concurrent openers); ReadDir walks it by index, so an
// offset names the same entry for the life of the handle however the directory changes.
// Offsets: 0 is ".", 1 is "..", 2 + i is the listing's entry i; each entry's next_offset
// is its own offset + 1. A ReadDir from offset 0 after the handle was read (rewinddir)
// takes a new snapshot when the old one is stale.
//
// Huge directories (more than FsOptions::stream_directory_entries) are streamed: the
// handle's DirectoryStream holds one chunk and a cursor, reads on page by page as offsets
// pass the chunk, and lists again from the start for an offset before it (offsets stay
// stable indexes, see directory_stream.h). Such a listing never enters the DirectoryCache,
// so lookups in the directory go by requests. Readdirs of one handle are serialised by its
// mutex, the only lock held while the next page is fetched.
//
// readdirplus hands out full attributes from the listing (no HEAD per entry) and counts a
// lookup for every entry the kernel accepts; the one it refuses (buffer full) is
// un-counted, as libfuse's passthrough_hp does. Plain readdir creates no inodes: an entry
// whose name has no inode yet gets a synthetic d_ino (the kernel only reports it).
//
// mtime=meta: readdirplus never waits for a version's HEAD (the entry goes out with
// attr_timeout 0, getattr waits), and queues none for its first buffer, which the kernel
// asks for under every walk, `find` and `ls` included. A small directory's HEADs are
// queued by the stats (getattr looks ahead in its cached listing) and by readdirplus past
// the first buffer; a streamed directory's by the stats of what readdirplus handed out
// (StatLookahead), and by a readdirplus going on from a reply whose files are stat'ed.
//
// Memory: a snapshot is the whole listing (about 150-200 bytes per entry), so at most
// stream_directory_entries entries; a streamed handle holds about that plus a page.
#include <utility>

#include "core/filesystem_impl.h"

namespace swiftfs::core {

namespace {

mode_t TypeBits(EntryKind kind) {
  switch (kind) {
    case EntryKind::kDirectory:
      return S_IFDIR;
    case EntryKind::kSymlink:
      return S_IFLNK;
    case EntryKind::kFile:
      break;
  }
  return S_IFREG;
}

// d_ino for a plain readdir entry without an inode: high bit set, so it never equals a
// real inode number (those come from a counter); then bits of the parent; then the entry's
// index in the listing (chunk), so that within a directory d_ino grows in listing order.
// GNU cp -r sorts a directory's entries by d_ino before copying them: in listing order,
// its opens are a walk the read-ahead across files recognises (a hash scattered them).
InodeId SyntheticIno(InodeId parent, size_t index) {
  const InodeId parent_bits = ((parent * 0x9e3779b97f4a7c15ULL) >> 33) << 32;
  return (InodeId{1} << 63) | parent_bits | (static_cast<InodeId>(index) & 0xFFFFFFFFULL);
}

}  // namespace

Result<uint64_t> Filesystem::Impl::OpenDir(InodeId ino) {
  auto dir = inodes_.Locate(ino);
  if (!dir) return std::move(dir).error();
  if (dir->kind != EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "opendir of a non-directory");
  }
  auto stream = dirs_.OpenStream(*dir);
  if (!stream) return std::move(stream).error();
  return dir_handles_.Add(std::make_shared<DirHandle>(*dir, std::move(*stream)));
}

Status Filesystem::Impl::ReadDir(InodeId ino, uint64_t handle, uint64_t offset, bool plus,
                                 const std::function<bool(const DirEntry&)>& emit) {
  std::shared_ptr<DirHandle> dir_handle = dir_handles_.Find(handle);
  if (!dir_handle) return MakeError(ErrorCode::kInvalidArgument, "unknown directory handle");
  const InodeId parent = inodes_.ParentOf(ino);
  MutexLock handle_lock(dir_handle->mu);  // first, see LOCK ORDERING
  const Location& dir = dir_handle->dir;
  DirectoryStream& stream = dir_handle->stream;
  const bool rewind = std::exchange(dir_handle->served, true);  // an earlier ReadDir read it
  // Only a rewind refreshes: the first ReadDir uses the snapshot OpenDir just took (with
  // dir_cache_timeout=0 that snapshot is "stale" at once, and would be listed twice). A
  // stream whose chunk is past the start restarts anyway when asked for entry 0.
  if (offset == 0 && rewind && stream.chunk_first() == 0 && dirs_.Stale(stream.chunk())) {
    if (Status restarted = stream.Restart(); !restarted) return restarted;
  }

  // A streamed directory's files, as handed out (mtime=meta): noted for the stats that
  // may follow (StatLookahead), and queued only when stats of the reply before are under
  // way. A small directory's are looked ahead in its cached listing by getattr.
  const bool note_files = plus && stream.streamed();
  std::vector<StatLookahead::File> handed_out;
  Status status = OkStatus();
  uint64_t pos = offset;
  for (;; ++pos) {
    DirEntry out;
    out.next_offset = pos + 1;
    std::optional<InodeId> counted;  // the lookup to take back if emit refuses
    const ListingEntry* listed = nullptr;
    if (pos < 2) {
      out.name = pos == 0 ? "." : "..";
      out.entry.ino = pos == 0 ? ino : parent;
      out.entry.attr.st_mode = S_IFDIR;
    } else {
      // May fetch the next chunk (only the handle's mutex held). An error returns after
      // the entries already emitted, which stay valid; the stream is unchanged.
      auto found = stream.At(pos - 2);
      if (!found) {
        status = std::move(found).error();
        break;
      }
      if (!*found) break;
      listed = *found;
      out.name = listed->name;
      if (plus && !stream.streamed() && offset > 0 && pos >= dir_handle->meta_queued_until &&
          attrs_.NeedsMetadata(*listed)) {
        // A small directory whose listing the kernel keeps asking readdirplus past its
        // first buffer: with READDIRPLUS_AUTO it does so only while the entries are
        // stat'ed (`ls -l`, not `find`). Queue the next entries' HEADs here, half a window
        // before the last queued one is reached, so they run on even after the listing
        // expired under a slow `ls -l` (getattr then has no cached listing to look in).
        QueueChunkVersions(dir, stream.chunk(), *listed);
        dir_handle->meta_queued_until = pos + kMetaPrefetchAhead / 2;
      }
      out.entry = ListedEntry(ino, dir, stream.chunk(), *listed, plus);
      if (plus) counted = out.entry.ino;
    }
    out.entry.attr.st_ino = out.entry.ino;
    if (!emit(out)) {
      if (counted) inodes_.Forget(*counted, 1);
      break;
    }
    if (note_files && listed && attrs_.NeedsMetadata(*listed)) {
      handed_out.push_back({listed->name, listed->etag, listed->mtime, FileSize(*listed)});
    }
  }
  if (!handed_out.empty()) {
    // The first files' versions, in case the stats are on their way here already.
    std::vector<WantedVersion> first;
    for (size_t i = 0; i < handed_out.size() && i < kMetaPrefetchAhead; ++i) {
      const StatLookahead::File& file = handed_out[i];
      first.push_back(WantedVersion{
          cache::VersionKey{dir.container, dir.key + file.name, file.etag, file.timestamp},
          file.file_size});
    }
    if (lookahead_.HandedOut(dir.container, dir.key, offset, pos, std::move(handed_out))) {
      // `ls -l` stat'ed the reply before this one and goes on with this one (the kernel
      // asks readdirplus again because of those stats): its HEADs start now, before the
      // first stat waits for one.
      metas_.Prefetch(first);
    }
  }
  return status;
}

EntryReply Filesystem::Impl::ListedEntry(InodeId ino, const Location& dir,
                                         const DirectoryListing& listing, const ListingEntry& entry,
                                         bool plus) {
  if (plus) {
    // Full attributes from the listing, unless the inode's own are fresh (InodeStore).
    // With mtime=meta, a version whose metadata is not known yet goes out unverified
    // (attr_timeout 0): the stat that follows waits for it in getattr, not this readdir.
    const Location loc = ChildLocation(dir, entry.name, entry.kind);
    std::optional<cache::VersionMetadata> metadata;
    if (attrs_.NeedsMetadata(entry)) metadata = versions_.Get(VersionOf(loc, entry));
    const InodeStore::Installed installed = inodes_.Install(
        ino, entry.name, loc,
        attrs_.AttrsFromListing(listing, entry, loc, metadata ? &*metadata : nullptr),
        InodeStore::Keep::kFreshAttrs);
    return attrs_.Entry(installed.ino, entry.kind, installed.attrs);
  }
  EntryReply reply;
  const auto index = static_cast<size_t>(&entry - listing.entries().data());
  reply.ino = inodes_.ChildOf(ino, entry.name).value_or(SyntheticIno(ino, index));
  reply.attr.st_mode = TypeBits(entry.kind);
  return reply;
}

void Filesystem::Impl::QueueChunkVersions(const Location& dir, const DirectoryListing& chunk,
                                          const ListingEntry& from) {
  const auto& entries = chunk.entries();
  std::vector<WantedVersion> wanted;
  for (size_t i = static_cast<size_t>(&from - entries.data());
       i < entries.size() && wanted.size() < kMetaPrefetchAhead; ++i) {
    if (!attrs_.NeedsMetadata(entries[i])) continue;
    wanted.push_back(Wanted(ChildLocation(dir, entries[i].name, entries[i].kind), entries[i]));
  }
  metas_.Prefetch(wanted);
}

void Filesystem::Impl::ReleaseDir(uint64_t handle) {
  // A ReadDir still running on the handle keeps its own reference (handle_table.h).
  dir_handles_.Release(handle);
}

}  // namespace swiftfs::core
