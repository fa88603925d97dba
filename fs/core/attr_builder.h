#pragma once
// AttrBuilder: how the core derives an inode's attributes from what Swift said, and how
// they become the kernel's replies. Three sources: a listing entry (as fresh as the
// listing: it expires dir_cache_timeout after the listing was fetched), a HEAD (fresh for
// attr_timeout from now), and directories (containers and pseudo-directories have nothing
// to refresh: their attributes never expire; an unknown mtime is the mount time).
//
// Pure functions of the mount's options, its root and the clock: no state, no lock, no
// request, so they may be called anywhere (also with a lock held).

#include <sys/stat.h>

#include <chrono>
#include <optional>

#include "core/directory_listing.h"
#include "core/location.h"
#include "core/object_attrs.h"
#include "core/symlink_target.h"
#include "swiftfs/cache/version_metadata.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/core/filesystem.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

using Duration = std::chrono::steady_clock::duration;

// A timeout option as a monotonic duration; negative counts as zero.
Duration ToDuration(std::chrono::duration<double> seconds);

class AttrBuilder {
 public:
  // `options` must outlive the builder.
  AttrBuilder(const FsOptions& options, MountRoot root, swift::WallTime mount_time, Clock& clock);

  // True when, with this mount's mtime source, the attributes of `entry` need its
  // version's metadata (mtime=meta, a file or symlink).
  bool NeedsMetadata(const ListingEntry& entry) const;
  // Attributes of `entry` (at `loc`) in `listing`; `metadata`, its version's (null when
  // not known: with mtime=meta the mtime is then unverified, see ObjectAttrs).
  ObjectAttrs AttrsFromListing(const DirectoryListing& listing, const ListingEntry& entry,
                               const Location& loc,
                               const cache::VersionMetadata* metadata = nullptr) const {
    return AttrsFromEntry(entry, loc, listing.fetched_at(), metadata);
  }
  // The same for an entry known since `known_at` (a listing's fetch, a local change).
  ObjectAttrs AttrsFromEntry(const ListingEntry& entry, const Location& loc,
                             std::chrono::steady_clock::time_point known_at,
                             const cache::VersionMetadata* metadata = nullptr) const;
  // Attributes of a file or symlink from its HEAD.
  ObjectAttrs AttrsFromHead(const swift::ObjectInfo& info, const Location& loc) const;
  // Attributes of a directory last modified at `mtime` (the epoch: unknown).
  ObjectAttrs DirectoryAttrs(swift::WallTime mtime) const;

  // THE mtime rule: with mtime=meta, X-Object-Meta-Mtime when the version has one; else
  // (and always with mtime=server) the version's timestamp.
  swift::WallTime Mtime(swift::WallTime version_time,
                        const std::optional<swift::WallTime>& meta_mtime) const;

  // How long the kernel may cache `attrs`: an unconfirmed size (a possible DLO) or mtime
  // not at all, so the kernel asks again and the core HEADs.
  std::chrono::duration<double> AttrTimeout(const ObjectAttrs& attrs) const;
  struct stat Stat(InodeId ino, EntryKind kind, const ObjectAttrs& attrs) const;
  AttrReply Attr(InodeId ino, EntryKind kind, const ObjectAttrs& attrs) const;
  EntryReply Entry(InodeId ino, EntryKind kind, const ObjectAttrs& attrs) const;

  const MountRoot& root() const { return root_; }
  swift::WallTime mount_time() const { return mount_time_; }

 private:
  const FsOptions& options_;
  const MountRoot root_;
  const swift::WallTime mount_time_;
  Clock& clock_;
  const Duration attr_ttl_;
  const Duration dir_ttl_;
};

}  // namespace swiftfs::core
