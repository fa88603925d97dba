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

  Location loc;
  ObjectAttrs attrs;
  if (auto child = inodes_.ChildOf(parent, name); child && uploads_.Find(*child)) {
    // A file being written here, or just written: Swift's listing may not show it yet;
    // its upload (or the attributes its commit recorded) knows it.
    auto inode = inodes_.Get(*child);
    if (inode && (inode->fresh || uploads_.FindActive(*child))) {
      const ObjectAttrs known = WrittenAttrs(*child, inode->attrs).value_or(inode->attrs);
      const InodeStore::Installed installed =
          inodes_.Install(parent, name, inode->loc, known, InodeStore::Keep::kNothing);
      return attrs_.Entry(installed.ino, inode->loc.kind, known);
    }
  }
  if (auto listing = dirs_.FreshListing(*dir)) {
    // The parent's fresh listing answers, also "no such name".
    const ListingEntry* entry = listing->Find(name);
    if (!entry) return NoSuchName(name);
    loc = ChildLocation(*dir, name, entry->kind);
    attrs = attrs_.AttrsFromListing(*listing, *entry, loc);
    if (entry->size_unverified) {
      auto current = FetchAttrs(loc);  // may be a DLO: HEAD for the real size
      if (!current) return std::move(current).error();
      loc = ChildLocation(*dir, name, current->first);
      attrs = current->second;
    }
  } else {
    auto resolved = ResolveByRequests(*dir, name);
    if (!resolved) return std::move(resolved).error();
    loc = std::move(resolved->first);
    attrs = std::move(resolved->second);
  }
  const InodeStore::Installed installed = inodes_.Install(parent, name, loc, attrs);
  return attrs_.Entry(installed.ino, loc.kind, installed.attrs);
}

// Without a listing of the parent: is `name` a container (account root), a
// pseudo-directory (anything under name/), or an object? A directory costs one listing
// request; a file one listing and one HEAD (the listing must come first: when both
// `name` and `name/...` exist, the directory wins). "No such name" is cached.
// The directory probe asks for kLookupProbeEntries entries rather than 1: that is still a
// small response, lists most directories whole, and is never wasted (FirstPageStore).
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

  Location file = ChildLocation(dir, name, EntryKind::kFile);
  if (heads_.KnownMissing(file)) return NoSuchName(name);
  Location subdir = ChildLocation(dir, name, EntryKind::kDirectory);
  auto first = fetcher_.FetchFirstPage(dir.container, subdir.key, kLookupProbeEntries);
  if (!first) return std::move(first).error();
  if (!first->entries.empty()) {
    // A directory. Its first page starts its listing: the whole of it when it was short
    // (later lookups inside are answered from it), else where the next listing goes on.
    dirs_.KeepProbe(subdir, std::move(*first));
    return std::make_pair(std::move(subdir), attrs_.DirectoryAttrs(swift::WallTime{}));
  }
  auto info = heads_.Head(file);  // caches a 404 as a negative entry
  if (!info) return std::move(info).error();
  const EntryKind kind = ClassifyObject(**info);
  Location loc = ChildLocation(dir, name, kind);
  if (kind == EntryKind::kDirectory) {
    return std::make_pair(loc, attrs_.DirectoryAttrs((*info)->last_modified));
  }
  return std::make_pair(loc, attrs_.AttrsFromHead(**info, loc));
}

void Filesystem::Impl::Forget(InodeId ino, uint64_t nlookup) { inodes_.Forget(ino, nlookup); }

Result<AttrReply> Filesystem::Impl::GetAttr(InodeId ino) {
  auto inode = inodes_.Get(ino);
  if (!inode) return std::move(inode).error();
  if (auto written = WrittenAttrs(ino, inode->attrs)) {
    return attrs_.Attr(ino, inode->loc.kind, *written);
  }
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
  if (!(*info)->symlink_target) {
    return MakeError(ErrorCode::kBadResponse, "symlink without X-Symlink-Target", 0,
                     ObjectCacheKey(inode->loc));
  }
  ObjectAttrs attrs = attrs_.AttrsFromHead(**info, inode->loc);
  inodes_.SetAttrs(ino, attrs);
  return std::move(attrs.symlink_target);
}

Result<struct statvfs> Filesystem::Impl::StatFs() { return stats_.Get(); }

// Extended attributes exist on files only (xattrs.h); their values come from HEAD,
// fetched on first use and cached.
Result<std::vector<std::string>> Filesystem::Impl::ListXattr(InodeId ino) {
  auto loc = inodes_.Locate(ino);
  if (!loc) return std::move(loc).error();
  if (loc->kind != EntryKind::kFile) return std::vector<std::string>();
  auto info = heads_.Head(*loc);
  if (!info) return std::move(info).error();
  return XattrNames(**info);
}

Result<std::string> Filesystem::Impl::GetXattr(InodeId ino, std::string_view name) {
  auto loc = inodes_.Locate(ino);
  if (!loc) return std::move(loc).error();
  if (loc->kind != EntryKind::kFile || !IsSwiftXattr(name)) {
    return MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  }
  auto info = heads_.Head(*loc);
  if (!info) return std::move(info).error();
  return XattrValue(**info, name);
}

}  // namespace swiftfs::core
