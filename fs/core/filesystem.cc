// core::Filesystem: the public face (forwarding to Impl), construction, Init, and the
// helpers every operation shares (locations, cache keys, attribute sources). The design
// of the whole layer is described in filesystem_impl.h.
#include <cassert>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::core {

namespace {

Duration ToDuration(std::chrono::duration<double> seconds) {
  if (seconds.count() <= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(seconds);
}

// "/a/b" or "a/b" -> "a/b/"; "" stays "".
std::string NormalizePrefix(std::string prefix) {
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  return prefix;
}

Inode MakeRoot(const FsOptions& options, swift::WallTime mount_time) {
  Inode root;
  root.kind = cache::EntryKind::kDirectory;
  root.lookups = 1;
  root.container = options.container;
  root.key = NormalizePrefix(options.prefix);
  root.attrs.mtime = mount_time;
  root.attrs.expiry = std::chrono::steady_clock::time_point::max();
  return root;
}

}  // namespace

Filesystem::Impl::Impl(FsOptions options, swift::ObjectClient& client,
                       cache::FileReaderFactory* readers, Clock& clock, Logger& logger,
                       Counters* counters)
    : options_(std::move(options)),
      root_{options_.container, NormalizePrefix(options_.prefix)},
      client_(client),
      clock_(clock),
      logger_(logger),
      own_counters_(counters ? nullptr : std::make_unique<Counters>()),
      counters_(counters ? *counters : *own_counters_),
      own_readers_(readers ? nullptr : std::make_unique<cache::SimpleFileReaderFactory>(client)),
      readers_(readers ? *readers : *own_readers_),
      mount_time_(clock.Now()),
      attr_ttl_(ToDuration(options_.attr_timeout)),
      negative_ttl_(ToDuration(options_.negative_timeout)),
      dir_ttl_(ToDuration(options_.dir_cache_timeout)),
      metadata_(clock, counters_, options_.max_cached_entries),
      directories_(clock, counters_, dir_ttl_, options_.max_cached_entries),
      fetcher_(client, clock, options_.list_until_empty_page, options_.verify_zero_byte_objects),
      first_pages_(dir_ttl_, kFirstPagesKept),
      inodes_(MakeRoot(options_, mount_time_)) {}

Status Filesystem::Impl::Init() {
  auto info = client_.GetClusterInfo();
  if (!info) return std::move(info).error();
  fetcher_.set_page_limit(info->container_listing_limit);

  if (root_.container.empty()) {
    auto account = client_.HeadAccount();
    if (!account) return std::move(account).error();
    return OkStatus();
  }
  if (!IsRepresentableComponent(root_.container)) {
    return MakeError(ErrorCode::kConfig, "container name cannot be a directory name", 0,
                     root_.container);
  }
  if (!root_.prefix.empty()) {
    for (const std::string& part : Split(root_.prefix.substr(0, root_.prefix.size() - 1), '/')) {
      if (!IsRepresentableComponent(part)) {
        return MakeError(ErrorCode::kConfig,
                         "prefix has an empty, '.', '..' or over-long component", 0, root_.prefix);
      }
    }
  }
  auto container = client_.HeadContainer(root_.container);
  if (!container) return std::move(container).error();
  if (root_.prefix.empty()) return OkStatus();

  swift::ListRequest probe;
  probe.container = root_.container;
  probe.prefix = root_.prefix;
  probe.delimiter = '/';
  probe.limit = 1;
  auto page = client_.ListObjects(probe);
  if (!page) return std::move(page).error();
  if (page->entries.empty()) {
    return MakeError(ErrorCode::kNotFound, "no objects under this prefix", 404,
                     root_.container + "/" + root_.prefix);
  }
  return OkStatus();
}

// --- locations and keys ---

std::string Filesystem::Impl::DirCacheKey(const std::string& container, const std::string& prefix) {
  return container.empty() ? std::string() : container + "/" + prefix;
}

std::string Filesystem::Impl::ObjectCacheKey(const Location& loc) {
  return loc.container + "/" + loc.key;
}

std::pair<std::string, std::string_view> Filesystem::Impl::ParentPrefix(const Location& loc) {
  std::string_view key = loc.key;
  if (!key.empty() && key.back() == '/') key.remove_suffix(1);
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return {std::string(), key};
  return {std::string(key.substr(0, slash + 1)), key.substr(slash + 1)};
}

Location Filesystem::Impl::ChildLocation(const Location& dir, std::string_view name,
                                         cache::EntryKind kind) const {
  Location child;
  child.kind = kind;
  if (IsAccountRoot(dir)) {
    child.container = std::string(name);
    return child;
  }
  child.container = dir.container;
  child.key = dir.key;
  child.key += name;
  if (kind == cache::EntryKind::kDirectory) child.key += '/';
  return child;
}

Result<Location> Filesystem::Impl::LocateLocked(InodeId ino) const {
  const Inode* inode = inodes_.Find(ino);
  if (!inode) return MakeError(ErrorCode::kNotFound, "no such inode");
  return Location{ino, inode->kind, inode->container, inode->key};
}

Result<Location> Filesystem::Impl::Locate(InodeId ino) const {
  std::lock_guard<std::mutex> lock(mu_);
  return LocateLocked(ino);
}

// --- attribute sources ---

ObjectAttrs Filesystem::Impl::DirectoryAttrs(swift::WallTime mtime) const {
  ObjectAttrs attrs;
  attrs.mtime = mtime == swift::WallTime{} ? mount_time_ : mtime;
  attrs.expiry = std::chrono::steady_clock::time_point::max();  // nothing to refresh
  return attrs;
}

ObjectAttrs Filesystem::Impl::AttrsFromListing(const cache::DirectoryListing& listing,
                                               const cache::ListingEntry& entry,
                                               const Location& loc) const {
  if (entry.kind == cache::EntryKind::kDirectory) return DirectoryAttrs(entry.mtime);
  ObjectAttrs attrs;
  attrs.size = entry.size;
  attrs.mtime = entry.mtime;
  attrs.etag = entry.etag;
  attrs.size_verified = !entry.size_unverified;
  attrs.expiry = listing.fetched_at() + dir_ttl_;
  if (!entry.symlink_target.empty()) {
    attrs.symlink_target =
        MakeLinkTarget(root_, loc.container, loc.key, entry.symlink_target, entry.foreign_symlink);
  }
  return attrs;
}

ObjectAttrs Filesystem::Impl::AttrsFromHead(const swift::ObjectInfo& info,
                                            const Location& loc) const {
  ObjectAttrs attrs;
  attrs.size = info.size;
  attrs.mtime = info.meta_mtime.value_or(info.last_modified);
  attrs.etag = info.etag;
  attrs.expiry = clock_.Monotonic() + attr_ttl_;
  if (info.symlink_target) {
    attrs.symlink_target = MakeLinkTarget(root_, loc.container, loc.key, *info.symlink_target,
                                          info.symlink_target_account.has_value());
  }
  return attrs;
}

std::chrono::duration<double> Filesystem::Impl::AttrTimeout(const ObjectAttrs& attrs) const {
  // An unconfirmed size must not be cached by the kernel: it asks again, and we HEAD.
  return attrs.size_verified ? options_.attr_timeout : std::chrono::duration<double>(0);
}

Result<std::shared_ptr<const swift::ObjectInfo>> Filesystem::Impl::HeadCached(const Location& loc) {
  const std::string key = ObjectCacheKey(loc);
  if (auto hit = metadata_.Get(key)) {
    if (!hit->exists()) return MakeError(ErrorCode::kNotFound, "cached: no such object", 404, key);
    return hit->info;
  }
  auto info = client_.HeadObject(loc.container, loc.key);
  if (!info) {
    if (info.error().code == ErrorCode::kNotFound) metadata_.PutNegative(key, negative_ttl_);
    return std::move(info).error();
  }
  auto shared = std::make_shared<const swift::ObjectInfo>(std::move(*info));
  metadata_.PutObject(key, shared, attr_ttl_);
  return shared;
}

Result<std::pair<cache::EntryKind, ObjectAttrs>> Filesystem::Impl::FetchAttrs(const Location& loc) {
  auto [prefix, name] = ParentPrefix(loc);
  if (auto listing = directories_.GetFresh(DirCacheKey(loc.container, prefix))) {
    const cache::ListingEntry* entry = listing->Find(name);
    if (!entry) {
      return MakeError(ErrorCode::kNotFound, "not in its directory's listing", 404,
                       ObjectCacheKey(loc));
    }
    if (!entry->size_unverified) {
      return std::make_pair(entry->kind, AttrsFromListing(*listing, *entry, loc));
    }
  }
  auto info = HeadCached(loc);
  if (!info) return std::move(info).error();
  const cache::EntryKind kind = ClassifyObject(**info);
  if (kind == cache::EntryKind::kDirectory) {
    return std::make_pair(kind, DirectoryAttrs((*info)->last_modified));
  }
  return std::make_pair(kind, AttrsFromHead(**info, loc));
}

struct stat Filesystem::Impl::StoreAttrs(InodeId ino, const ObjectAttrs& attrs) {
  std::lock_guard<std::mutex> lock(mu_);
  Inode* inode = inodes_.Find(ino);
  if (!inode) return MakeStat(options_, ino, cache::EntryKind::kFile, attrs);
  inode->attrs = attrs;
  return MakeStat(options_, ino, inode->kind, inode->attrs);
}

EntryReply Filesystem::Impl::InstallLocked(InodeId parent, std::string_view name,
                                           const Location& loc, const ObjectAttrs& attrs) {
  Inode& inode = inodes_.Upsert(parent, name, loc.kind, loc.container, loc.key);
  ++inode.lookups;
  inode.attrs = attrs;
  EntryReply reply;
  reply.ino = inode.id;
  reply.generation = InodeTable::kGeneration;
  reply.attr = MakeStat(options_, inode.id, inode.kind, inode.attrs);
  reply.attr_timeout = AttrTimeout(inode.attrs);
  reply.entry_timeout = options_.entry_timeout;
  return reply;
}

size_t Filesystem::Impl::StreamThreshold() const {
  return options_.stream_directory_entries == 0 ? SIZE_MAX : options_.stream_directory_entries;
}

Result<ListingChunk> Filesystem::Impl::StartListing(const Location& dir) {
  const std::string key = DirCacheKey(dir.container, dir.key);
  if (IsAccountRoot(dir)) {
    // Accounts are listed whole: tens of thousands of containers are rare.
    auto containers = directories_.GetOrFetch(key, [&] { return fetcher_.ListContainers(); });
    if (!containers) return std::move(containers).error();
    return ListingChunk{std::move(*containers), std::nullopt};
  }
  std::optional<ListingChunk> streamed;  // set when our own fetch found a huge directory
  auto listing = directories_.GetOrFetch(key, [&]() -> Result<cache::ListingPtr> {
    // Continue after the page a lookup of this directory fetched, if it is recent.
    std::optional<FirstPage> first = first_pages_.Take(key, clock_.Monotonic());
    auto start = fetcher_.ListDirectoryUpTo(dir.container, dir.key, first ? &*first : nullptr,
                                            StreamThreshold());
    if (!start) return std::move(start).error();
    if (!start->rest) return std::move(start->listing);
    streamed = std::move(*start);
    return cache::ListingPtr();  // too large to hold whole: nothing is cached
  });
  if (!listing) return std::move(listing).error();
  if (*listing) return ListingChunk{std::move(*listing), std::nullopt};
  if (streamed) return std::move(*streamed);
  // A concurrent opener's fetch found the directory too large to hold: list its first
  // chunk ourselves, outside the cache.
  return fetcher_.ListDirectoryUpTo(dir.container, dir.key, nullptr, StreamThreshold());
}

// --- public face ---

Filesystem::Filesystem(FsOptions options, swift::ObjectClient& client,
                       cache::FileReaderFactory& readers, Clock& clock, Logger& logger,
                       Counters& counters)
    : impl_(
          std::make_unique<Impl>(std::move(options), client, &readers, clock, logger, &counters)) {}
Filesystem::Filesystem(FsOptions options, swift::ObjectClient& client, Clock& clock, Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), client, nullptr, clock, logger, nullptr)) {}
Filesystem::~Filesystem() = default;

Status Filesystem::Init() { return impl_->Init(); }
Result<EntryReply> Filesystem::Lookup(InodeId parent, std::string_view name) {
  return impl_->Lookup(parent, name);
}
std::chrono::duration<double> Filesystem::NegativeEntryTimeout() const {
  return impl_->NegativeEntryTimeout();
}
void Filesystem::Forget(InodeId ino, uint64_t nlookup) { impl_->Forget(ino, nlookup); }
Result<AttrReply> Filesystem::GetAttr(InodeId ino) { return impl_->GetAttr(ino); }
Result<std::string> Filesystem::ReadLink(InodeId ino) { return impl_->ReadLink(ino); }
Result<uint64_t> Filesystem::OpenDir(InodeId ino) { return impl_->OpenDir(ino); }
Status Filesystem::ReadDir(InodeId ino, uint64_t handle, uint64_t offset, bool plus,
                           const std::function<bool(const DirEntry&)>& emit) {
  return impl_->ReadDir(ino, handle, offset, plus, emit);
}
void Filesystem::ReleaseDir(uint64_t handle) { impl_->ReleaseDir(handle); }
Result<OpenReply> Filesystem::Open(InodeId ino, int flags) { return impl_->Open(ino, flags); }
Result<size_t> Filesystem::Read(uint64_t handle, uint64_t offset, std::span<char> buffer,
                                const std::atomic<bool>* cancel) {
  return impl_->Read(handle, offset, buffer, cancel);
}
Result<cache::ReadView> Filesystem::ReadInPlace(uint64_t handle, uint64_t offset, size_t size,
                                                const std::atomic<bool>* cancel) {
  return impl_->ReadInPlace(handle, offset, size, cancel);
}
void Filesystem::Release(uint64_t handle) { impl_->Release(handle); }
Result<struct statvfs> Filesystem::StatFs() { return impl_->StatFs(); }
Result<std::string> Filesystem::GetXattr(InodeId ino, std::string_view name) {
  return impl_->GetXattr(ino, name);
}
Result<std::vector<std::string>> Filesystem::ListXattr(InodeId ino) {
  return impl_->ListXattr(ino);
}

}  // namespace swiftfs::core
