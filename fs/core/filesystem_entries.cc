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

Result<EntryReply> Filesystem::Impl::Lookup(InodeId parent, std::string_view name) {
  if (Status valid = ValidateLookupName(name); !valid) return std::move(valid).error();
  auto dir = inodes_.Locate(parent);
  if (!dir) return std::move(dir).error();
  if (dir->kind != EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "lookup in a non-directory");
  }
  // The parent's fresh listing (or one listed now: a busy directory) answers, also "no
  // such name"; without one, `name` is resolved by requests.
  auto listing = dirs_.ListingFor(*dir);
  if (!listing) return std::move(listing).error();
  auto resolved =
      *listing ? ResolveInListing(*dir, **listing, name) : ResolveByRequests(*dir, name);
  if (!resolved) return std::move(resolved).error();
  const auto& [loc, attrs] = *resolved;
  const InodeStore::Installed installed = inodes_.Install(parent, name, loc, attrs);
  return attrs_.Entry(installed.ino, loc.kind, installed.attrs);
}

Result<std::pair<Location, ObjectAttrs>> Filesystem::Impl::ResolveInListing(
    const Location& dir, const DirectoryListing& listing, std::string_view name) {
  const ListingEntry* entry = listing.Find(name);
  if (!entry) return NoSuchName(name);
  Location loc = ChildLocation(dir, name, entry->kind);
  if (!entry->size_unverified) {
    auto attrs = ListedAttrs(listing, *entry, loc);  // mtime=meta: may HEAD
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
    const Location& dir, std::string_view name) {
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
  if (probe->children) {
    dirs_.KeepProbe(ChildLocation(dir, name, EntryKind::kDirectory), std::move(*probe->children));
  }
  auto resolved = ResolveInListing(dir, *probe->found, name);
  if (!resolved && resolved.error().code == ErrorCode::kNotFound) heads_.RememberMissing(file);
  return resolved;
}

void Filesystem::Impl::Forget(InodeId ino, uint64_t nlookup) { inodes_.Forget(ino, nlookup); }

Result<AttrReply> Filesystem::Impl::GetAttr(InodeId ino) {
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  auto attrs = CurrentAttrs(*inode);
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
