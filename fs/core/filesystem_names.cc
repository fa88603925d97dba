// The namespace operations: MkDir, RmDir, Unlink, SetXattr, RemoveXattr (Rename is in
// filesystem_rename.cc), and NoteCommitted, which every write shares with them. Each
// checks FsOptions::read_only before anything else, asks Swift with no lock held, and
// then records what it did where the next lookup, getattr and readdir look: the local
// overlay (DirectoryState, local_changes.h), the HEAD cache (ObjectHeads) and the inodes.
//
// Directories are markers named `dir/` (a zero-byte object, Content-Type
// application/directory), the convention rclone, gcsfuse, svfs and S3 tools use. The read
// side understands it already (a listing name ending in '/' is a directory, and so is a
// zero-byte application/directory object of any name): a `dir/` marker is listed under
// the same prefix as the directory's contents, so a lookup's probe finds an empty
// directory without a HEAD, and the name `dir` stays free. At the account root a
// directory is a container.
#include <sys/xattr.h>

#include <algorithm>
#include <cctype>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"
#include "core/own_segments.h"

namespace swiftfs::core {

namespace {

constexpr std::string_view kMetaXattrPrefix = "user.swift.meta.";
constexpr char kEmptyMd5[] = "d41d8cd98f00b204e9800998ecf8427e";
constexpr std::string_view kDirectoryContentType = "application/directory";
// Pages of a flat listing an emptiness check reads past entries removed here.
constexpr int kEmptinessPages = 10;

Error ReadOnly() { return MakeError(ErrorCode::kReadOnly, "read-only mount"); }

// X-Object-Meta-<name>: a header name (token characters only); lower-cased, as the read
// side reports it. kInvalidArgument for a name or value a header cannot carry.
Result<std::string> MetaName(std::string_view xattr) {
  if (!xattr.starts_with(kMetaXattrPrefix)) {
    return MakeError(ErrorCode::kNotSupported,
                     "only user.swift.meta.* attributes can be set (Swift object metadata)", 0,
                     std::string(xattr));
  }
  std::string name(xattr.substr(kMetaXattrPrefix.size()));
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty metadata name");
  for (char& c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f ||
        std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "metadata name must be a header token", 0,
                       std::string(xattr));
    }
    c = static_cast<char>(std::tolower(u));
  }
  return name;
}

}  // namespace

void Filesystem::Impl::NoteCommitted(InodeId ino, const Location& loc, const ObjectAttrs& attrs) {
  dirs_.NoteWritten(loc.container, loc.key, attrs);
  heads_.Invalidate(loc);
  if (ino != 0) inodes_.SetAttrs(ino, attrs);
}

Result<Location> Filesystem::Impl::WritableDir(InodeId parent, std::string_view name) {
  if (options_.read_only) return ReadOnly();
  if (Status valid = ValidateLookupName(name); !valid) return std::move(valid).error();
  auto dir = inodes_.Locate(parent);
  if (!dir) return std::move(dir).error();
  if (dir->kind != EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "parent is not a directory");
  }
  return dir;
}

Result<Filesystem::Impl::Existing> Filesystem::Impl::FindExisting(InodeId parent,
                                                                  const Location& dir,
                                                                  std::string_view name,
                                                                  bool trust_inode) {
  std::optional<InodeSnapshot> known;
  if (auto ino = inodes_.ChildOf(parent, name)) {
    if (auto inode = inodes_.Get(*ino)) known = std::move(*inode);
  }
  if (known && trust_inode) return Existing{known->loc.ino, known->loc, known->attrs};
  auto resolved = Resolve(dir, name);
  if (resolved) {
    Existing found{0, std::move(resolved->first), std::move(resolved->second)};
    if (known && known->loc.kind == found.loc.kind) found.ino = known->loc.ino;
    return found;
  }
  if (resolved.error().code != ErrorCode::kNotFound || !known) return std::move(resolved).error();
  // In no listing and no HEAD, but the kernel knows it: created here, not committed yet.
  return Existing{known->loc.ino, std::move(known->loc), std::move(known->attrs)};
}

Status Filesystem::Impl::CheckEmpty(const Location& dir) {
  const Error not_empty =
      MakeError(ErrorCode::kNotEmpty, "directory not empty", 0, ObjectCacheKey(dir));
  LocalChanges& changes = dirs_.local_changes();
  if (changes.AnyPresentUnder(dir.container, dir.key)) return not_empty;
  swift::ListRequest request;
  request.container = dir.container;
  request.prefix = dir.key;
  request.limit = 2;  // the marker and one more say "not empty"
  for (int page = 0; page < kEmptinessPages; ++page) {
    auto listed = client_.ListObjects(request);
    if (!listed) return std::move(listed).error();
    for (const swift::ListEntry& entry : listed->entries) {
      if (entry.name == dir.key) continue;  // the directory's own marker
      // Gone here, still listed: Swift's container update lags (rm -r then rmdir).
      if (changes.RemovedHere(dir.container, entry.name, dir.key)) continue;
      return not_empty;
    }
    if (listed->entries.size() < request.limit) return OkStatus();
    request.marker = listed->entries.back().name;
    request.limit = 1000;
  }
  return not_empty;  // thousands listed and all removed here: too lagged to be sure
}

std::vector<swift::SloSegment> Filesystem::Impl::OwnSegmentsOf(const Location& loc,
                                                               const swift::ObjectInfo& info) {
  if (!info.is_slo) return {};
  auto segments = client_.GetManifest(loc.container, loc.key);
  if (!segments) {
    logger_.Warning("cannot read the manifest of " + ObjectCacheKey(loc) +
                    ", its segments are kept: " + segments.error().ToString());
    return {};
  }
  if (!AllOwnSegments(loc.container, loc.key, *segments)) return {};
  return std::move(*segments);
}

void Filesystem::Impl::DeleteSegments(const std::vector<swift::SloSegment>& segments) {
  for (const swift::SloSegment& segment : segments) {
    std::string_view path = segment.path;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    const size_t slash = path.find('/');
    if (slash == std::string_view::npos) continue;
    Status deleted =
        client_.DeleteObject(std::string(path.substr(0, slash)),
                             std::string(path.substr(slash + 1)), swift::DeleteMode::kObjectOnly);
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) {
      logger_.Warning("segment " + std::string(path) +
                      " not deleted (the orphan collector will): " + deleted.error().ToString());
    }
  }
}

Result<EntryReply> Filesystem::Impl::MkDir(InodeId parent, std::string_view name, mode_t) {
  auto dir = WritableDir(parent, name);
  if (!dir) return std::move(dir).error();
  auto existing = Resolve(*dir, name);
  if (existing) return MakeError(ErrorCode::kExists, "name exists", 0, std::string(name));
  if (existing.error().code != ErrorCode::kNotFound) return std::move(existing).error();

  const Location loc = ChildLocation(*dir, name, EntryKind::kDirectory);
  if (IsAccountRoot(*dir)) {
    if (Status put = client_.PutContainer(loc.container); !put) return std::move(put).error();
  } else {
    swift::ObjectWrite marker;
    marker.container = loc.container;
    marker.name = loc.key;
    marker.content_type = std::string(kDirectoryContentType);
    marker.etag = kEmptyMd5;
    marker.if_none_match = true;  // a marker listed nowhere yet (lag) is not overwritten
    auto put = client_.UploadObject(marker, {});
    if (!put) return std::move(put).error();
  }
  dirs_.NoteDirectory(loc.container, loc.key);
  heads_.Invalidate(loc);                                          // a container's cached 404
  heads_.Invalidate(ChildLocation(*dir, name, EntryKind::kFile));  // the lookup's 404 of `name`
  const ObjectAttrs attrs = attrs_.DirectoryAttrs(clock_.Now());
  const InodeStore::Installed installed = inodes_.Install(parent, name, loc, attrs);
  return attrs_.Entry(installed.ino, EntryKind::kDirectory, installed.attrs);
}

Status Filesystem::Impl::RmDir(InodeId parent, std::string_view name) {
  auto dir = WritableDir(parent, name);
  if (!dir) return std::move(dir).error();
  // The inode the kernel knows answers (the emptiness check asks Swift anyway).
  auto existing = FindExisting(parent, *dir, name, true);
  if (!existing) return std::move(existing).error();
  const Location& loc = existing->loc;
  if (loc.kind != EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "not a directory", 0, std::string(name));
  }
  if (IsAccountRoot(*dir)) {
    // Swift refuses a container that still holds objects (its object count, which may lag
    // behind deletions for a moment: rmdir then says ENOTEMPTY, and works a bit later).
    Status deleted = client_.DeleteContainer(loc.container);
    if (!deleted && deleted.error().code == ErrorCode::kConflict) {
      return MakeError(ErrorCode::kNotEmpty, "container not empty", 409, loc.container);
    }
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) return deleted;
  } else {
    if (Status empty = CheckEmpty(loc); !empty) return empty;
    Status deleted = client_.DeleteObject(loc.container, loc.key, swift::DeleteMode::kObjectOnly);
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) return deleted;
    if (!deleted) {
      // No `dir/` marker: a pseudo-directory (gone once empty), or another client's marker
      // named `dir` (a zero-byte application/directory object), which goes too.
      const Location other = ChildLocation(*dir, name, EntryKind::kFile);
      auto info = client_.HeadObject(other.container, other.key);
      if (info && IsDirectoryMarker(*info)) {
        Status gone =
            client_.DeleteObject(other.container, other.key, swift::DeleteMode::kObjectOnly);
        if (!gone && gone.error().code != ErrorCode::kNotFound) return gone;
        heads_.Invalidate(other);
      } else if (!info && info.error().code != ErrorCode::kNotFound) {
        return std::move(info).error();
      }
    }
  }
  dirs_.NoteRemoved(loc.container, loc.key);
  heads_.Invalidate(loc);
  inodes_.Detach(parent, name);
  return OkStatus();
}

Status Filesystem::Impl::Unlink(InodeId parent, std::string_view name) {
  auto dir = WritableDir(parent, name);
  if (!dir) return std::move(dir).error();
  // The inode the kernel knows answers (the HEAD below asks Swift anyway).
  auto existing = FindExisting(parent, *dir, name, true);
  if (!existing) return std::move(existing).error();
  const Location& loc = existing->loc;
  if (loc.kind == EntryKind::kDirectory) {
    return MakeError(ErrorCode::kIsADirectory, "is a directory", 0, std::string(name));
  }
  auto info = client_.HeadObject(loc.container, loc.key);
  if (!info && info.error().code != ErrorCode::kNotFound) return std::move(info).error();
  if (info) {
    // An SLO goes with its segments only when they are its own (own_segments.h); a
    // manifest whose segments may be shared leaves them.
    const bool own = !OwnSegmentsOf(loc, *info).empty();
    Status deleted = client_.DeleteObject(
        loc.container, loc.key,
        own ? swift::DeleteMode::kWithSegments : swift::DeleteMode::kObjectOnly);
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) return deleted;
  } else if (existing->ino == 0) {
    // Nothing in Swift and nothing created here: a listing that lags showed it.
    dirs_.NoteRemoved(loc.container, loc.key);
    return std::move(info).error();
  }
  dirs_.NoteRemoved(loc.container, loc.key);
  heads_.Invalidate(loc);
  inodes_.Detach(parent, name);
  return OkStatus();
}

// Extended attributes: user.swift.meta.<name> is Swift's X-Object-Meta-<name> on files
// (xattrs.h shows them); a POST replaces all of an object's metadata, so the others are
// read first (HEAD, not the cache) and sent again. Another client's metadata change
// between the HEAD and the POST is lost (Swift's POST takes no precondition).
Status Filesystem::Impl::SetXattr(InodeId ino, std::string_view name, std::string_view value,
                                  int flags) {
  if (options_.read_only) return ReadOnly();
  auto meta = MetaName(name);
  if (!meta) return std::move(meta).error();
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "metadata value must be one header line");
  }
  auto loc = inodes_.Locate(ino);
  if (!loc) return std::move(loc).error();
  if (loc->kind != EntryKind::kFile) {
    return MakeError(ErrorCode::kNotSupported, "Swift metadata is set on files only");
  }
  auto info = client_.HeadObject(loc->container, loc->key);
  if (!info) return std::move(info).error();
  if (info->is_dlo) {
    // A POST could drop X-Object-Manifest: the file would turn into its empty manifest.
    return MakeError(ErrorCode::kNotSupported, "metadata of a DLO manifest is not changed");
  }
  const bool exists = info->metadata.contains(*meta);
  if ((flags & XATTR_CREATE) && exists) {
    return MakeError(ErrorCode::kExists, "attribute exists", 0, std::string(name));
  }
  if ((flags & XATTR_REPLACE) && !exists) {
    return MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  }
  std::map<std::string, std::string> metadata = info->metadata;
  metadata[*meta] = std::string(value);
  Status posted = client_.PostObject(loc->container, loc->key, metadata, "");
  MetadataPosted(ino, *loc);
  return posted;
}

// A POST makes a new version of the object (its timestamp changes, Swift's fast-POST), so
// what the inode, the HEAD cache and the listings hold describe the old one. One HEAD
// learns the new version; it is recorded like a commit (inode, overlay on listings,
// version metadata), so getxattr and stat show the new metadata at once.
void Filesystem::Impl::MetadataPosted(InodeId ino, const Location& loc) {
  heads_.Invalidate(loc);
  auto head = heads_.Head(loc);
  if (!head) {
    // Not known now: the inode's attributes are dropped, the next getattr asks again.
    if (auto inode = inodes_.Get(ino)) {
      ObjectAttrs stale = inode->attrs;
      stale.expiry = {};
      inodes_.SetAttrs(ino, stale);
    }
    return;
  }
  metas_.Record(loc.container, loc.key, **head);
  NoteCommitted(ino, loc, attrs_.AttrsFromHead(**head, loc));
}

Status Filesystem::Impl::RemoveXattr(InodeId ino, std::string_view name) {
  if (options_.read_only) return ReadOnly();
  auto meta = MetaName(name);
  if (!meta) return std::move(meta).error();
  auto loc = inodes_.Locate(ino);
  if (!loc) return std::move(loc).error();
  if (loc->kind != EntryKind::kFile) {
    return MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  }
  auto info = client_.HeadObject(loc->container, loc->key);
  if (!info) return std::move(info).error();
  std::map<std::string, std::string> metadata = info->metadata;
  if (metadata.erase(*meta) == 0) {
    return MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  }
  if (info->is_dlo) {
    return MakeError(ErrorCode::kNotSupported, "metadata of a DLO manifest is not changed");
  }
  Status posted = client_.PostObject(loc->container, loc->key, metadata, "");
  MetadataPosted(ino, *loc);
  return posted;
}

}  // namespace swiftfs::core
