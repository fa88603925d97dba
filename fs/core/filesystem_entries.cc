// Name resolution and attributes: Lookup, Forget, GetAttr, ReadLink, and the metadata-only
// operations StatFs and the xattrs. See filesystem_impl.h for where answers come from.
#include <sys/statvfs.h>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"
#include "core/xattrs.h"

namespace swiftfs::core {

namespace {

Error NoSuchName(std::string_view name) {
  return MakeError(ErrorCode::kNotFound, "no such file or directory", 404, std::string(name));
}

}  // namespace

Result<EntryReply> Filesystem::Impl::Lookup(InodeId parent, std::string_view name,
                                            Interrupt interrupt) {
  if (Status valid = ValidateLookupName(name); !valid) return std::move(valid).error();
  auto dir = inodes_.Locate(parent);
  if (!dir) return std::move(dir).error();
  if (dir->kind != EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "lookup in a non-directory");
  }

  if (auto child = inodes_.ChildOf(parent, name)) {
    // A file being written here: Swift knows nothing of it before its first commit (and
    // the overlay only from then on); its upload does.
    if (auto inode = inodes_.Get(*child)) {
      if (auto written = WrittenAttrs(*child, inode->attrs)) {
        const InodeStore::Installed installed =
            inodes_.Install(parent, name, inode->loc, *written, InodeStore::Keep::kNothing);
        return attrs_.Entry(installed.ino, inode->loc.kind, *written);
      }
    }
  }
  auto resolved = Resolve(*dir, name, interrupt);
  if (!resolved) return std::move(resolved).error();
  const auto& [loc, attrs] = *resolved;
  const InodeStore::Installed installed = inodes_.Install(parent, name, loc, attrs);
  return attrs_.Entry(installed.ino, loc.kind, installed.attrs);
}

// What `name` in `dir` is now, cheapest answer first: this mount's own changes, the
// parent's fresh listing (which also answers "no such name"), requests.
Result<std::pair<Location, ObjectAttrs>> Filesystem::Impl::Resolve(const Location& dir,
                                                                   std::string_view name,
                                                                   Interrupt interrupt) {
  auto local = LocalLookup(dir, name);
  if (!local) return std::move(local).error();
  if (local->found) return std::move(*local->found);
  // The parent's fresh listing (or one listed now: a busy directory) answers, also "no
  // such name"; without one, `name` is resolved by requests.
  auto listing = dirs_.ListingFor(dir);
  if (!listing) return std::move(listing).error();
  if (*listing) return ResolveInListing(dir, **listing, name, interrupt);
  return ResolveByRequests(dir, name, local->directory_removed, interrupt);
}

// The overlay of what this mount changed answers before any listing or request: a
// listing (cached ones have it merged, but a probe's may not) or even a HEAD may still
// show the old state for a while.
Result<Filesystem::Impl::LocalAnswer> Filesystem::Impl::LocalLookup(const Location& dir,
                                                                    std::string_view name) {
  LocalAnswer answer;
  const Location subdir = ChildLocation(dir, name, EntryKind::kDirectory);
  auto dir_change = dirs_.LocalChangeOf(subdir.container, subdir.key);
  if (dir_change && !dir_change->removed) {
    answer.found.emplace(subdir, attrs_.DirectoryAttrs(dir_change->entry.mtime));
    return answer;
  }
  answer.directory_removed = dir_change.has_value();
  if (IsAccountRoot(dir)) {
    if (answer.directory_removed) return NoSuchName(name);
    return answer;
  }
  const Location file = ChildLocation(dir, name, EntryKind::kFile);
  auto file_change = dirs_.LocalChangeOf(file.container, file.key);
  if (!file_change) return answer;
  if (file_change->removed) {
    if (answer.directory_removed) return NoSuchName(name);
    return answer;  // a directory of that name may still exist: ask as usual
  }
  Location loc = ChildLocation(dir, name, file_change->entry.kind);
  ObjectAttrs attrs = attrs_.AttrsFromEntry(file_change->entry, loc, file_change->noted_at);
  answer.found.emplace(std::move(loc), std::move(attrs));
  return answer;
}

Result<std::pair<Location, ObjectAttrs>> Filesystem::Impl::ResolveInListing(
    const Location& dir, const DirectoryListing& listing, std::string_view name,
    Interrupt interrupt) {
  const ListingEntry* entry = listing.Find(name);
  if (!entry) return NoSuchName(name);
  Location loc = ChildLocation(dir, name, entry->kind);
  if (!entry->size_unverified) {
    auto attrs = ListedAttrs(listing, *entry, loc, interrupt);  // mtime=meta: may HEAD
    if (!attrs) return std::move(attrs).error();
    return std::make_pair(std::move(loc), std::move(*attrs));
  }
  auto current = HeadAttrs(loc);  // may be a DLO: HEAD for the real size
  if (!current) return std::move(current).error();
  return std::make_pair(ChildLocation(dir, name, current->first), std::move(current->second));
}

// Without a listing of the parent: is `name` a container (account root), a
// pseudo-directory (anything under name/), or an object? One listing request tells
// (ListingFetcher::ProbeName: the names from `name` to `name/...`, end_marker bound): a
// directory, with its first entries, which start its listing (FirstPageStore; the whole
// of it when short, so later lookups inside are answered from it), or a file with its
// listing attributes, or nothing (cached as "no such name"). When both `name` and
// `name/...` exist, the directory wins, as in listings.
Result<std::pair<Location, ObjectAttrs>> Filesystem::Impl::ResolveByRequests(
    const Location& dir, std::string_view name, bool skip_directory_probe, Interrupt interrupt) {
  if (IsAccountRoot(dir)) {
    Location loc = ChildLocation(dir, name, EntryKind::kDirectory);
    if (heads_.KnownMissing(loc)) return NoSuchName(name);
    auto container = heads_.HeadContainer(loc);
    if (!container) return std::move(container).error();
    return std::make_pair(
        loc, attrs_.DirectoryAttrs(container->last_modified.value_or(swift::WallTime{})));
  }

  const Location file = ChildLocation(dir, name, EntryKind::kFile);
  if (heads_.KnownMissing(file)) return NoSuchName(name);
  auto probe = fetcher_.ProbeName(dir.container, dir.key, name, kLookupProbeEntries);
  if (!probe) return std::move(probe).error();
  if (probe->children && !skip_directory_probe) {
    dirs_.KeepProbe(ChildLocation(dir, name, EntryKind::kDirectory), std::move(*probe->children));
  }
  auto resolved = ResolveInListing(dir, *probe->found, name, interrupt);
  if (!resolved && resolved.error().code == ErrorCode::kNotFound) heads_.RememberMissing(file);
  // A directory removed here may still be listed for a while: only a file can answer.
  if (resolved && skip_directory_probe && resolved->first.kind == EntryKind::kDirectory) {
    return NoSuchName(name);
  }
  return resolved;
}

void Filesystem::Impl::Forget(InodeId ino, uint64_t nlookup) { inodes_.Forget(ino, nlookup); }

Result<AttrReply> Filesystem::Impl::GetAttr(InodeId ino, Interrupt interrupt) {
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (auto written = WrittenAttrs(ino, inode->attrs)) {
    return attrs_.Attr(ino, inode->loc.kind, *written);
  }
  auto attrs = CurrentAttrs(*inode, interrupt);
  if (!attrs) return std::move(attrs).error();
  return attrs_.Attr(ino, inode->loc.kind, *attrs);
}

Result<std::string> Filesystem::Impl::ReadLink(InodeId ino) {
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (inode->loc.kind != EntryKind::kSymlink) {
    return MakeError(ErrorCode::kInvalidArgument, "not a symlink");
  }
  if (!inode->attrs.symlink_target.empty()) return inode->attrs.symlink_target;
  // Listed as a symlink but without its target: HEAD tells it.
  auto info = heads_.Head(inode->loc);
  if (!info) return std::move(info).error();
  metas_.Record(inode->loc.container, inode->loc.key, **info);
  if (!(*info)->symlink_target) {
    return MakeError(ErrorCode::kBadResponse, "symlink without X-Symlink-Target", 0,
                     ObjectCacheKey(inode->loc));
  }
  ObjectAttrs attrs = attrs_.AttrsFromHead(**info, inode->loc);
  inodes_.SetAttrs(ino, attrs);
  return std::move(attrs.symlink_target);
}

Result<struct statvfs> Filesystem::Impl::StatFs() { return stats_.Get(); }

// Extended attributes exist on files only (xattrs.h). Their values are the current
// version's metadata, as for the mtime: from the VersionMetadataStore, else one HEAD per
// version (so `getfattr` after `ls -l` with mtime=meta costs nothing more).
Result<std::vector<std::string>> Filesystem::Impl::ListXattr(InodeId ino) {
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (inode->loc.kind != EntryKind::kFile) return std::vector<std::string>();
  auto info = VersionInfo(*inode);
  if (!info) return std::move(info).error();
  return XattrNames(*info);
}

Result<std::string> Filesystem::Impl::GetXattr(InodeId ino, std::string_view name) {
  // Namespaces we never have (security.*, system.*, trusted.*) answer "not supported", no
  // request: GNU ls then stops asking for security.selinux and system.posix_acl_access
  // on this filesystem (it remembers an unsupported device), instead of two getxattrs
  // per file of every `ls -l`.
  if (!IsUserXattr(name)) {
    return MakeError(ErrorCode::kNotSupported, "attribute namespace not supported", 0,
                     std::string(name));
  }
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (inode->loc.kind != EntryKind::kFile || !IsSwiftXattr(name)) {
    return MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  }
  auto info = VersionInfo(*inode);
  if (!info) return std::move(info).error();
  return XattrValue(*info, name);
}

}  // namespace swiftfs::core
