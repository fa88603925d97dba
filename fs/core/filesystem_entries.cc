// Name resolution and attributes: Lookup, Forget, GetAttr, ReadLink, and the metadata-only
// operations StatFs and the xattrs. See filesystem_impl.h for where answers come from.
#include <sys/statvfs.h>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"

namespace swiftfs::core {

namespace {

constexpr std::string_view kXattrPrefix = "user.swift.";
constexpr std::string_view kMetaPrefix = "user.swift.meta.";
constexpr unsigned long kStatFsBlockSize = 4096;
// Capacity reported when the account has no quota: 1 PiB.
constexpr uint64_t kNominalCapacityBlocks = (uint64_t{1} << 50) / kStatFsBlockSize;

Error NoSuchName(std::string_view name) {
  return MakeError(ErrorCode::kNotFound, "no such file or directory", 404, std::string(name));
}

}  // namespace

Result<EntryReply> Filesystem::Impl::Lookup(InodeId parent, std::string_view name) {
  if (Status valid = ValidateLookupName(name); !valid) return std::move(valid).error();
  auto dir = inodes_.Locate(parent);
  if (!dir) return std::move(dir).error();
  if (dir->kind != cache::EntryKind::kDirectory) {
    return MakeError(ErrorCode::kNotADirectory, "lookup in a non-directory");
  }

  Location loc;
  ObjectAttrs attrs;
  if (auto listing = dirs_.FreshListing(*dir)) {
    // The parent's fresh listing answers, also "no such name".
    const cache::ListingEntry* entry = listing->Find(name);
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
    Location loc = ChildLocation(dir, name, cache::EntryKind::kDirectory);
    const std::string key = ObjectCacheKey(loc);
    if (auto hit = metadata_.Get(key); hit && !hit->exists()) return NoSuchName(name);
    auto container = client_.HeadContainer(loc.container);
    if (!container) {
      if (container.error().code == ErrorCode::kNotFound) metadata_.PutNegative(key, negative_ttl_);
      return std::move(container).error();
    }
    return std::make_pair(
        loc, attrs_.DirectoryAttrs(container->last_modified.value_or(swift::WallTime{})));
  }

  Location file = ChildLocation(dir, name, cache::EntryKind::kFile);
  if (auto hit = metadata_.Get(ObjectCacheKey(file)); hit && !hit->exists()) {
    return NoSuchName(name);
  }
  Location subdir = ChildLocation(dir, name, cache::EntryKind::kDirectory);
  auto first = fetcher_.FetchFirstPage(dir.container, subdir.key, kLookupProbeEntries);
  if (!first) return std::move(first).error();
  if (!first->entries.empty()) {
    // A directory. Its first page starts its listing: the whole of it when it was short
    // (later lookups inside are answered from it), else where the next listing goes on.
    dirs_.KeepProbe(subdir, std::move(*first));
    return std::make_pair(std::move(subdir), attrs_.DirectoryAttrs(swift::WallTime{}));
  }
  auto info = HeadCached(file);  // caches a 404 as a negative entry
  if (!info) return std::move(info).error();
  const cache::EntryKind kind = ClassifyObject(**info);
  Location loc = ChildLocation(dir, name, kind);
  if (kind == cache::EntryKind::kDirectory) {
    return std::make_pair(loc, attrs_.DirectoryAttrs((*info)->last_modified));
  }
  return std::make_pair(loc, attrs_.AttrsFromHead(**info, loc));
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
  if (inode->loc.kind != cache::EntryKind::kSymlink) {
    return MakeError(ErrorCode::kInvalidArgument, "not a symlink");
  }
  if (!inode->attrs.symlink_target.empty()) return inode->attrs.symlink_target;
  // Listed as a symlink but without its target: HEAD tells it.
  auto info = HeadCached(inode->loc);
  if (!info) return std::move(info).error();
  if (!(*info)->symlink_target) {
    return MakeError(ErrorCode::kBadResponse, "symlink without X-Symlink-Target", 0,
                     ObjectCacheKey(inode->loc));
  }
  ObjectAttrs attrs = attrs_.AttrsFromHead(**info, inode->loc);
  inodes_.SetAttrs(ino, attrs);
  return std::move(attrs.symlink_target);
}

Result<struct statvfs> Filesystem::Impl::StatFs() {
  {
    std::lock_guard<std::mutex> lock(statfs_mu_);
    if (statfs_cache_ && clock_.Monotonic() < statfs_cache_->first) return statfs_cache_->second;
  }
  auto account = client_.HeadAccount();
  if (!account) return std::move(account).error();
  struct statvfs st {};
  st.f_bsize = kStatFsBlockSize;
  st.f_frsize = kStatFsBlockSize;
  const uint64_t used = (account->bytes_used + kStatFsBlockSize - 1) / kStatFsBlockSize;
  if (account->quota_bytes) {
    const uint64_t total = *account->quota_bytes / kStatFsBlockSize;
    st.f_blocks = std::max(total, used);
    st.f_bfree = st.f_blocks - used;
  } else {
    // No quota: Swift has no fixed capacity. Report a nominal one (as s3fs does) so
    // `df` shows the bytes used without a "100% full" filesystem that disk monitors
    // would alarm on.
    st.f_blocks = std::max(kNominalCapacityBlocks, used);
    st.f_bfree = st.f_blocks - used;
  }
  st.f_bavail = st.f_bfree;
  st.f_files = account->object_count;
  st.f_ffree = 0;
  st.f_favail = 0;
  st.f_namemax = kMaxNameLength;
  st.f_flag = options_.read_only ? ST_RDONLY : 0;
  std::lock_guard<std::mutex> lock(statfs_mu_);
  statfs_cache_.emplace(clock_.Monotonic() + attr_ttl_, st);
  return st;
}

// Extended attributes exist on files only (containers and pseudo-directories have no
// object to describe); their values come from HEAD, fetched on first use and cached.
Result<std::vector<std::string>> Filesystem::Impl::ListXattr(InodeId ino) {
  auto loc = inodes_.Locate(ino);
  if (!loc) return std::move(loc).error();
  std::vector<std::string> names;
  if (loc->kind != cache::EntryKind::kFile) return names;
  auto info = HeadCached(*loc);
  if (!info) return std::move(info).error();
  const swift::ObjectInfo& object = **info;
  if (!object.etag.empty()) names.push_back(std::string(kXattrPrefix) + "etag");
  if (!object.content_type.empty()) names.push_back(std::string(kXattrPrefix) + "content_type");
  if (!object.timestamp.empty()) names.push_back(std::string(kXattrPrefix) + "timestamp");
  for (const auto& [meta, value] : object.metadata) {
    names.push_back(std::string(kMetaPrefix) + meta);
  }
  return names;
}

Result<std::string> Filesystem::Impl::GetXattr(InodeId ino, std::string_view name) {
  auto loc = inodes_.Locate(ino);
  if (!loc) return std::move(loc).error();
  const Error no_data = MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  if (loc->kind != cache::EntryKind::kFile || name.substr(0, kXattrPrefix.size()) != kXattrPrefix) {
    return no_data;
  }
  auto info = HeadCached(*loc);
  if (!info) return std::move(info).error();
  const swift::ObjectInfo& object = **info;
  const std::string_view field = name.substr(kXattrPrefix.size());
  std::string value;
  if (field == "etag") {
    value = object.etag;
  } else if (field == "content_type") {
    value = object.content_type;
  } else if (field == "timestamp") {
    value = object.timestamp;
  } else if (name.substr(0, kMetaPrefix.size()) == kMetaPrefix) {
    auto it = object.metadata.find(std::string(name.substr(kMetaPrefix.size())));
    if (it == object.metadata.end()) return no_data;
    return it->second;
  }
  if (value.empty()) return no_data;
  return value;
}

}  // namespace swiftfs::core
