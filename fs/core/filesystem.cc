// core::Filesystem: the public face (forwarding to Impl), construction, Init, and the
// attribute fetch GetAttr and Open share. The design of the whole layer, its parts and
// their lock order are described in filesystem_impl.h.
#include <algorithm>
#include <cstdio>
#include <random>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"
#include "swiftfs/cache/simple_file_reader.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::core {

namespace {

// "/a/b" or "a/b" -> "a/b/"; "" stays "".
std::string NormalizePrefix(std::string prefix) {
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  return prefix;
}

Inode MakeRoot(const MountRoot& where, ObjectAttrs attrs) {
  Inode root;
  root.kind = EntryKind::kDirectory;
  root.lookups = 1;
  root.container = where.container;
  root.key = where.prefix;
  root.attrs = std::move(attrs);
  return root;
}

}  // namespace

Filesystem::Impl::Impl(FsOptions options, swift::ObjectClient& client,
                       cache::FileReaderFactory* readers, Clock& clock, Logger& logger,
                       Counters* counters, cache::VersionMetadataStore* versions,
                       cache::SharedSpace* staging_space)
    : options_(std::move(options)),
      client_(client),
      clock_(clock),
      logger_(logger),
      own_counters_(counters ? nullptr : std::make_unique<Counters>()),
      counters_(counters ? *counters : *own_counters_),
      own_readers_(readers ? nullptr : std::make_unique<cache::SimpleFileReaderFactory>(client)),
      readers_(readers ? *readers : *own_readers_),
      attrs_(options_, MountRoot{options_.container, NormalizePrefix(options_.prefix)}, clock.Now(),
             clock),
      own_versions_(
          versions ? nullptr
                   : std::make_unique<cache::LruVersionMetadataStore>(options_.max_cached_entries)),
      versions_(versions ? *versions : *own_versions_),
      metas_(client, versions_, options_.meta_fetchers, &readers_),
      lookahead_(options_.meta_fetchers == 0 ? 0 : StatLookahead::kDirectories),
      heads_(client, clock, counters_, options_),
      stats_(client, clock, options_),
      fetcher_(client, clock, options_.list_until_empty_page, options_.verify_zero_byte_objects),
      dirs_(fetcher_, clock, counters_, options_),
      inodes_(MakeRoot(attrs_.root(), attrs_.DirectoryAttrs(swift::WallTime{})), clock),
      staging_(options_.staging_dir, options_.staging_size, staging_space),
      slots_(options_.parallel_segment_uploads),
      upload_seed_(std::random_device{}()),
      upload_env_{client, clock, logger, staging_, slots_, 0, 0, true, 0, nullptr, &readers_},
      upload_factory_(upload_env_) {
  upload_env_.new_upload_id = [this] {
    // Unique per commit attempt: the wall time, and this mount's seed with a counter (two
    // mounts committing in the same nanosecond still differ).
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(clock_.Now().time_since_epoch())
            .count();
    char id[48];
    std::snprintf(id, sizeof id, "%016llx-%08llx", static_cast<unsigned long long>(ns),
                  static_cast<unsigned long long>((upload_seed_ + upload_seq_++) & 0xffffffffULL));
    return std::string(id);
  };
  SetUploadLimits(swift::ClusterInfo{});
}

void Filesystem::Impl::SetUploadLimits(const swift::ClusterInfo& info) {
  uint64_t segment = options_.segment_size == 0 ? uint64_t{32} << 20 : options_.segment_size;
  segment = std::max<uint64_t>(segment, info.slo_min_segment_size);
  segment = std::min<uint64_t>(segment, info.max_file_size);
  upload_env_.segment_size = segment;
  upload_env_.slo = info.slo_enabled;
  upload_env_.max_size =
      info.slo_enabled ? segment * std::max<uint64_t>(1, info.slo_max_manifest_segments) : segment;
  upload_env_.reorder_window = kReorderWindow;
}

Status Filesystem::Impl::Init() {
  const MountRoot& root = attrs_.root();
  auto info = client_.GetClusterInfo();
  if (!info) return std::move(info).error();
  fetcher_.set_page_limit(info->container_listing_limit);
  SetUploadLimits(*info);

  if (root.container.empty()) {
    auto account = client_.HeadAccount();
    if (!account) return std::move(account).error();
    return OkStatus();
  }
  if (!IsRepresentableComponent(root.container)) {
    return MakeError(ErrorCode::kConfig, "container name cannot be a directory name", 0,
                     root.container);
  }
  if (!root.prefix.empty()) {
    for (const std::string& part : Split(root.prefix.substr(0, root.prefix.size() - 1), '/')) {
      if (!IsRepresentableComponent(part)) {
        return MakeError(ErrorCode::kConfig,
                         "prefix has an empty, '.', '..' or over-long component", 0, root.prefix);
      }
    }
  }
  auto container = client_.HeadContainer(root.container);
  if (!container) return std::move(container).error();
  if (root.prefix.empty()) return OkStatus();

  swift::ListRequest probe;
  probe.container = root.container;
  probe.prefix = root.prefix;
  probe.delimiter = '/';
  probe.limit = 1;
  auto page = client_.ListObjects(probe);
  if (!page) return std::move(page).error();
  if (page->entries.empty()) {
    return MakeError(ErrorCode::kNotFound, "no objects under this prefix", 404,
                     root.container + "/" + root.prefix);
  }
  return OkStatus();
}

// --- attributes ---

Result<std::pair<EntryKind, ObjectAttrs>> Filesystem::Impl::FetchAttrs(
    const Location& loc, const cache::VersionKey* listed, Interrupt interrupt) {
  // What this mount wrote or removed answers first (listings, even HEADs, may lag).
  if (auto change = dirs_.LocalChangeOf(loc.container, loc.key)) {
    if (change->removed) {
      return MakeError(ErrorCode::kNotFound, "removed by this mount", 404, ObjectCacheKey(loc));
    }
    return std::make_pair(change->entry.kind,
                          attrs_.AttrsFromEntry(change->entry, loc, change->noted_at));
  }
  auto [prefix, name] = ParentPrefix(loc);
  auto listing = dirs_.ListingFor(loc.container, prefix);
  if (!listing) return std::move(listing).error();
  if (*listing) {
    const ListingEntry* entry = (*listing)->Find(name);
    if (!entry) {
      return MakeError(ErrorCode::kNotFound, "not in its directory's listing", 404,
                       ObjectCacheKey(loc));
    }
    if (!entry->size_unverified) {
      auto attrs = ListedAttrs(**listing, *entry, loc, interrupt);
      if (!attrs) return std::move(attrs).error();
      return std::make_pair(entry->kind, std::move(*attrs));
    }
  }
  return HeadAttrs(loc, listed);
}

Result<std::pair<EntryKind, ObjectAttrs>> Filesystem::Impl::HeadAttrs(
    const Location& loc, const cache::VersionKey* listed) {
  std::shared_ptr<const swift::ObjectInfo> head;
  if (auto joined = listed ? metas_.Join(*listed) : std::nullopt) {
    // The listing went stale while `ls -l` waited for the HEADs readdirplus queued: this
    // one is still pending, so it answers (as fresh as a HEAD sent now, and in parallel
    // with the others instead of one HEAD per stat).
    if (!*joined) return std::move(*joined).error();
    head = std::make_shared<const swift::ObjectInfo>(std::move(**joined));
  } else {
    auto info = heads_.Head(loc);
    if (!info) return std::move(info).error();
    head = std::move(*info);
    metas_.Record(loc.container, loc.key, *head);
  }
  const EntryKind kind = ClassifyObject(*head);
  if (kind == EntryKind::kDirectory) {
    return std::make_pair(kind, attrs_.DirectoryAttrs(head->last_modified));
  }
  return std::make_pair(kind, attrs_.AttrsFromHead(*head, loc));
}

Result<ObjectAttrs> Filesystem::Impl::CurrentAttrs(const InodeSnapshot& inode,
                                                   Interrupt interrupt) {
  if (inode.fresh) {
    // A use of its directory all the same: a walk opening names readdirplus handed out
    // keeps the directory busy, so its listing is renewed when it expires (ListingFor).
    dirs_.NoteUse(inode.loc.container, ParentPrefix(inode.loc).first);
    return inode.attrs;
  }
  const ObjectAttrs& had = inode.attrs;
  // Handed out by readdirplus of a streamed directory: the stats have begun, so the
  // files after this one have their HEADs queued ahead of them.
  if (!had.mtime_verified) QueueAfterStat(inode.loc, had);
  if (!had.mtime_verified && had.size_verified && clock_.Monotonic() < had.expiry) {
    // Listed by readdirplus before its version's metadata was known, in a directory with
    // no cached listing (streamed): all but the mtime is current, and the version's HEAD
    // was queued by that readdirplus. (With a cached listing FetchAttrs answers, and
    // queues the next entries.)
    auto [prefix, name] = ParentPrefix(inode.loc);
    if (!dirs_.FreshListing(inode.loc.container, prefix)) {
      const uint64_t file_size =
          inode.loc.kind == EntryKind::kFile && had.size_verified ? had.size : 0;
      auto metadata = metas_.Get(
          cache::VersionKey{inode.loc.container, inode.loc.key, had.etag, had.version_time},
          file_size);
      if (metadata) {
        ObjectAttrs attrs = had;
        attrs.mtime = attrs_.Mtime(had.version_time, metadata->meta_mtime);
        attrs.mtime_verified = true;
        inodes_.SetAttrs(inode.loc.ino, attrs);
        return attrs;
      }
      // Gone or failing: FetchAttrs tells which.
    }
  }
  std::optional<cache::VersionKey> listed;
  if (!had.mtime_verified) {
    listed = cache::VersionKey{inode.loc.container, inode.loc.key, had.etag, had.version_time};
  }
  auto current = FetchAttrs(inode.loc, listed ? &*listed : nullptr, interrupt);
  if (!current) return std::move(current).error();
  if (current->first != inode.loc.kind) {
    // The name is now something else; the next lookup gives it a new inode.
    return MakeError(ErrorCode::kNotFound, "object changed kind", 0, ObjectCacheKey(inode.loc));
  }
  inodes_.SetAttrs(inode.loc.ino, current->second);
  return std::move(current->second);
}

Result<ObjectAttrs> Filesystem::Impl::ListedAttrs(const DirectoryListing& listing,
                                                  const ListingEntry& entry, const Location& loc,
                                                  Interrupt interrupt) {
  if (!attrs_.NeedsMetadata(entry)) return attrs_.AttrsFromListing(listing, entry, loc);
  const cache::VersionKey key = VersionOf(loc, entry);
  // With -o fetch_on_stat, a stat's GET goes through the version fetcher (below), which
  // stores the bytes on disk until the open, however late it comes.
  if (interrupt != nullptr && !metas_.Requested(key) && !readers_.FetchesOnStat()) {
    // A lookup no prefetch foresaw, as a program opening names it knows makes (cat a b,
    // a build, cp -r and tar opening each file after its stat): a small file fetched whole
    // answers it with the headers of a HEAD, and the open that follows takes the bytes.
    // Nothing is queued ahead then: such a walk's next files come the same way, or from
    // the readers' read-ahead across files, not from HEADs.
    if (auto fetched = MetadataFromBody(entry, loc, key, interrupt)) {
      if (!*fetched) return std::move(*fetched).error();
      return attrs_.AttrsFromListing(listing, entry, loc, &**fetched);
    }
  }
  // Queue the next entries when nobody asked for this one yet (a stat no prefetch
  // foresaw) and every half window (to stay ahead of a stat per entry in listing order).
  const size_t index = static_cast<size_t>(&entry - listing.entries().data());
  if (index % (kMetaPrefetchAhead / 2) == 0 || !metas_.Requested(key)) {
    // Only when the stats follow the listing order (ls -l, a walk: the entry before this
    // one was asked for, or this is the first): a program reading a few known names in
    // a big directory must not pay for the HEADs of their neighbours.
    if (index == 0 || FollowsListingOrder(listing, index, loc)) PrefetchAfter(listing, entry, loc);
  }
  auto metadata = metas_.Get(key, FileSize(entry));
  if (!metadata) return std::move(metadata).error();
  return attrs_.AttrsFromListing(listing, entry, loc, &*metadata);
}

std::optional<Result<cache::VersionMetadata>> Filesystem::Impl::MetadataFromBody(
    const ListingEntry& entry, const Location& loc, const cache::VersionKey& key,
    Interrupt interrupt) {
  // Only a plain file: a GET follows a symlink, and would describe its target.
  if (entry.kind != EntryKind::kFile) return std::nullopt;
  auto fetched = readers_.FetchForLookup(
      cache::ObjectVersion{loc.container, loc.key, entry.etag, entry.size}, interrupt);
  if (!fetched) return std::nullopt;
  if (!*fetched) return std::move(*fetched).error();
  const swift::ObjectInfo& head = **fetched;
  metas_.Record(loc.container, loc.key, head);
  // If-Match pinned the etag, but an overwrite with the same bytes is a newer version:
  // recorded under its own key, and the listing's is left to a HEAD.
  if (!(cache::KeyOfHead(loc.container, loc.key, head) == key)) return std::nullopt;
  return cache::MetadataOfHead(head);
}

bool Filesystem::Impl::FollowsListingOrder(const DirectoryListing& listing, size_t index,
                                           const Location& loc) {
  const auto& entries = listing.entries();
  if (index == 0 || index > entries.size()) return false;
  // The closest file before `index` (directories have no version metadata).
  for (size_t i = index; i-- > 0;) {
    const ListingEntry& before = entries[i];
    if (!attrs_.NeedsMetadata(before)) continue;
    const std::string prefix = ParentPrefix(loc).first;
    return metas_.Requested(
        cache::VersionKey{loc.container, prefix + before.name, before.etag, before.mtime});
  }
  return true;  // only directories before it: the start of the files
}

cache::VersionKey Filesystem::Impl::VersionOf(const Location& loc, const ListingEntry& entry) {
  return cache::VersionKey{loc.container, loc.key, entry.etag, entry.mtime};
}

uint64_t Filesystem::Impl::FileSize(const ListingEntry& entry) {
  // A possible DLO manifest is listed as 0 bytes (its size only a HEAD tells), and a GET
  // follows a symlink: both are HEADed.
  if (entry.kind != EntryKind::kFile || entry.size_unverified) return 0;
  return entry.size;
}

WantedVersion Filesystem::Impl::Wanted(const Location& loc, const ListingEntry& entry) {
  return WantedVersion{VersionOf(loc, entry), FileSize(entry)};
}

void Filesystem::Impl::PrefetchAfter(const DirectoryListing& listing, const ListingEntry& entry,
                                     const Location& loc) {
  const auto& entries = listing.entries();
  const size_t index = static_cast<size_t>(&entry - entries.data());
  if (index >= entries.size()) return;  // not an entry of `listing`
  auto [prefix, name] = ParentPrefix(loc);
  std::vector<WantedVersion> wanted;
  for (size_t i = index + 1; i < entries.size() && wanted.size() < kMetaPrefetchAhead; ++i) {
    const ListingEntry& next = entries[i];
    if (!attrs_.NeedsMetadata(next)) continue;
    wanted.push_back(
        WantedVersion{cache::VersionKey{loc.container, prefix + next.name, next.etag, next.mtime},
                      FileSize(next)});
  }
  metas_.Prefetch(wanted);
}

void Filesystem::Impl::QueueAfterStat(const Location& loc, const ObjectAttrs& listed) {
  const std::string prefix = ParentPrefix(loc).first;
  const cache::VersionKey key{loc.container, loc.key, listed.etag, listed.version_time};
  auto at = lookahead_.Find(prefix, key);
  if (!at) return;  // not handed out by a streamed readdirplus (or forgotten since)
  // As ListedAttrs: when nobody asked for this one yet (the first stat) and every half
  // window (to stay ahead of a stat per entry), and only while the stats follow the
  // listing order (the file before was asked for): `ls -l`, not a few names picked out.
  if (at->index % (kMetaPrefetchAhead / 2) != 0 && metas_.Requested(key)) return;
  if (at->before && !metas_.Requested(*at->before)) return;
  metas_.Prefetch(lookahead_.After(loc.container, prefix, *at, kMetaPrefetchAhead));
}

Result<swift::ObjectInfo> Filesystem::Impl::VersionInfo(const InodeSnapshot& inode) {
  auto attrs = CurrentAttrs(inode);
  if (!attrs) return std::move(attrs).error();
  const cache::VersionKey key{inode.loc.container, inode.loc.key, attrs->etag, attrs->version_time};
  auto metadata = metas_.Get(key);
  if (!metadata) return std::move(metadata).error();
  return cache::InfoOf(key, *metadata);
}

// --- public face ---

Filesystem::Filesystem(FsOptions options, swift::ObjectClient& client,
                       cache::FileReaderFactory& readers, Clock& clock, Logger& logger,
                       Counters& counters, cache::VersionMetadataStore* versions,
                       cache::SharedSpace* staging_space)
    : impl_(std::make_unique<Impl>(std::move(options), client, &readers, clock, logger, &counters,
                                   versions, staging_space)) {}
Filesystem::Filesystem(FsOptions options, swift::ObjectClient& client, Clock& clock, Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), client, nullptr, clock, logger, nullptr,
                                   nullptr, nullptr)) {}
Filesystem::~Filesystem() = default;

Status Filesystem::Init() { return impl_->Init(); }
Result<EntryReply> Filesystem::Lookup(InodeId parent, std::string_view name,
                                      const std::atomic<bool>* cancel) {
  return impl_->Lookup(parent, name, cancel);
}
std::chrono::duration<double> Filesystem::NegativeEntryTimeout() const {
  return impl_->NegativeEntryTimeout();
}
void Filesystem::Forget(InodeId ino, uint64_t nlookup) { impl_->Forget(ino, nlookup); }
Result<AttrReply> Filesystem::GetAttr(InodeId ino, const std::atomic<bool>* cancel) {
  return impl_->GetAttr(ino, cancel);
}
Result<std::string> Filesystem::ReadLink(InodeId ino) { return impl_->ReadLink(ino); }
Result<uint64_t> Filesystem::OpenDir(InodeId ino) { return impl_->OpenDir(ino); }
Status Filesystem::ReadDir(InodeId ino, uint64_t handle, uint64_t offset, bool plus,
                           const std::function<bool(const DirEntry&)>& emit) {
  return impl_->ReadDir(ino, handle, offset, plus, emit);
}
void Filesystem::ReleaseDir(uint64_t handle) { impl_->ReleaseDir(handle); }
Result<OpenReply> Filesystem::Open(InodeId ino, int flags, const std::atomic<bool>* cancel) {
  return impl_->Open(ino, flags, cancel);
}
Result<size_t> Filesystem::Read(uint64_t handle, uint64_t offset, std::span<char> buffer,
                                const std::atomic<bool>* cancel) {
  return impl_->Read(handle, offset, buffer, cancel);
}
Result<cache::ReadView> Filesystem::ReadInPlace(uint64_t handle, uint64_t offset, size_t size,
                                                const std::atomic<bool>* cancel) {
  return impl_->ReadInPlace(handle, offset, size, cancel);
}
void Filesystem::Release(uint64_t handle) { impl_->Release(handle); }
Result<CreateReply> Filesystem::Create(InodeId parent, std::string_view name, mode_t mode,
                                       int flags) {
  return impl_->Create(parent, name, mode, flags);
}
Result<size_t> Filesystem::Write(uint64_t handle, uint64_t offset, std::span<const char> data) {
  return impl_->Write(handle, offset, data);
}
Status Filesystem::Flush(uint64_t handle) { return impl_->Flush(handle); }
Status Filesystem::Fsync(uint64_t handle, bool datasync) { return impl_->Fsync(handle, datasync); }
Result<AttrReply> Filesystem::SetAttr(InodeId ino, const SetAttrRequest& request,
                                      std::optional<uint64_t> handle) {
  return impl_->SetAttr(ino, request, handle);
}
Result<EntryReply> Filesystem::MkDir(InodeId parent, std::string_view name, mode_t mode) {
  return impl_->MkDir(parent, name, mode);
}
Status Filesystem::RmDir(InodeId parent, std::string_view name) {
  return impl_->RmDir(parent, name);
}
Status Filesystem::Unlink(InodeId parent, std::string_view name) {
  return impl_->Unlink(parent, name);
}
Status Filesystem::Rename(InodeId parent, std::string_view name, InodeId new_parent,
                          std::string_view new_name, RenameMode mode) {
  return impl_->Rename(parent, name, new_parent, new_name, mode);
}
Status Filesystem::SetXattr(InodeId ino, std::string_view name, std::string_view value, int flags) {
  return impl_->SetXattr(ino, name, value, flags);
}
Status Filesystem::RemoveXattr(InodeId ino, std::string_view name) {
  return impl_->RemoveXattr(ino, name);
}
Result<struct statvfs> Filesystem::StatFs() { return impl_->StatFs(); }
Result<std::string> Filesystem::GetXattr(InodeId ino, std::string_view name) {
  return impl_->GetXattr(ino, name);
}
Result<std::vector<std::string>> Filesystem::ListXattr(InodeId ino) {
  return impl_->ListXattr(ino);
}

}  // namespace swiftfs::core
