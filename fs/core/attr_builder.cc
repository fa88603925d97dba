#include "core/attr_builder.h"

#include <utility>

#include "core/inode_table.h"

namespace swiftfs::core {

Duration ToDuration(std::chrono::duration<double> seconds) {
  if (seconds.count() <= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(seconds);
}

AttrBuilder::AttrBuilder(const FsOptions& options, MountRoot root, swift::WallTime mount_time,
                         Clock& clock)
    : options_(options),
      root_(std::move(root)),
      mount_time_(mount_time),
      clock_(clock),
      attr_ttl_(ToDuration(options.attr_timeout)),
      dir_ttl_(ToDuration(options.dir_cache_timeout)) {}

ObjectAttrs AttrBuilder::DirectoryAttrs(swift::WallTime mtime) const {
  ObjectAttrs attrs;
  attrs.mtime = mtime == swift::WallTime{} ? mount_time_ : mtime;
  attrs.expiry = std::chrono::steady_clock::time_point::max();  // nothing to refresh
  return attrs;
}

bool AttrBuilder::NeedsMetadata(const ListingEntry& entry) const {
  return options_.mtime == MtimeSource::kMeta && entry.kind != EntryKind::kDirectory &&
         !entry.written_here;
}

swift::WallTime AttrBuilder::Mtime(swift::WallTime version_time,
                                   const std::optional<swift::WallTime>& meta_mtime) const {
  if (options_.mtime == MtimeSource::kMeta && meta_mtime) return *meta_mtime;
  return version_time;
}

ObjectAttrs AttrBuilder::AttrsFromEntry(const ListingEntry& entry, const Location& loc,
                                        std::chrono::steady_clock::time_point known_at,
                                        const cache::VersionMetadata* metadata) const {
  if (entry.kind == EntryKind::kDirectory) return DirectoryAttrs(entry.mtime);
  ObjectAttrs attrs;
  attrs.size = entry.size;
  attrs.version_time = entry.mtime;
  attrs.mtime = Mtime(entry.mtime, metadata ? metadata->meta_mtime : std::nullopt);
  attrs.mtime_verified = metadata != nullptr || !NeedsMetadata(entry);
  attrs.etag = entry.etag;
  attrs.size_verified = !entry.size_unverified;
  attrs.expiry = known_at + dir_ttl_;
  if (!entry.symlink_target.empty()) {
    attrs.symlink_target =
        MakeLinkTarget(root_, loc.container, loc.key, entry.symlink_target, entry.foreign_symlink);
  }
  return attrs;
}

ObjectAttrs AttrBuilder::AttrsFromHead(const swift::ObjectInfo& info, const Location& loc) const {
  ObjectAttrs attrs;
  attrs.size = info.size;
  // X-Timestamp, not Last-Modified (rounded up to the second): the listing's
  // last_modified is the same instant, so every path gives one mtime.
  attrs.version_time = cache::KeyOfHead(loc.container, loc.key, info).timestamp;
  attrs.mtime = Mtime(attrs.version_time, info.meta_mtime);
  attrs.etag = info.etag;
  attrs.expiry = clock_.Monotonic() + attr_ttl_;
  if (info.symlink_target) {
    attrs.symlink_target = MakeLinkTarget(root_, loc.container, loc.key, *info.symlink_target,
                                          info.symlink_target_account.has_value());
  }
  return attrs;
}

std::chrono::duration<double> AttrBuilder::AttrTimeout(const ObjectAttrs& attrs) const {
  return attrs.size_verified && attrs.mtime_verified ? options_.attr_timeout
                                                     : std::chrono::duration<double>(0);
}

struct stat AttrBuilder::Stat(InodeId ino, EntryKind kind, const ObjectAttrs& attrs) const {
  return MakeStat(options_, ino, kind, attrs);
}

AttrReply AttrBuilder::Attr(InodeId ino, EntryKind kind, const ObjectAttrs& attrs) const {
  return AttrReply{Stat(ino, kind, attrs), AttrTimeout(attrs)};
}

EntryReply AttrBuilder::Entry(InodeId ino, EntryKind kind, const ObjectAttrs& attrs) const {
  EntryReply reply;
  reply.ino = ino;
  reply.generation = InodeTable::kGeneration;
  reply.attr = Stat(ino, kind, attrs);
  reply.attr_timeout = AttrTimeout(attrs);
  reply.entry_timeout = options_.entry_timeout;
  return reply;
}

}  // namespace swiftfs::core
