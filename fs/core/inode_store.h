#pragma once
// InodeStore: the inodes the kernel knows about (an InodeTable) behind their own lock, and
// the one place that decides whether an inode's attributes still answer or Swift must be
// asked.
//
// Design: callers never hold a pointer into the table. They get snapshots (Location,
// parent and attributes, copied out under the lock) and act on them unlocked, then write
// back what they learned (SetAttrs, Install); an inode forgotten in between just drops the
// write. Freshness is decided in Get and Install only: attributes are fresh for a
// directory always (nothing to refresh), for a file or symlink while their expiry is
// ahead of the clock and their size is confirmed (a 0-byte listing entry may be a DLO).
//
// Later, writes keep an inode's dirty state (local size, mtime) here too: a dirty inode
// is fresh by definition, and Get is where that rule goes.
//
// INVARIANT: table_ is only touched with mu_ held; a snapshot's `fresh` was true at the
// moment it was taken (by the Clock), and directories' attributes never expire.
// Thread-safe; mu_ is a leaf lock: nothing but table operations runs under it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/inode_table.h"
#include "core/location.h"
#include "core/object_attrs.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

// One inode as it was when asked for.
struct InodeSnapshot {
  Location loc;  // loc.ino is the inode's id
  InodeId parent = 0;
  ObjectAttrs attrs;
  bool fresh = false;  // `attrs` answer without asking Swift
};

class InodeStore {
 public:
  // What Install does with attributes the inode already has.
  enum class Keep {
    kNothing,     // record the given attributes (a lookup's answer is current)
    kFreshAttrs,  // keep the inode's own while fresh (a readdirplus entry must not replace
                  // a size a HEAD confirmed by the listing's unconfirmed one)
  };

  InodeStore(Inode root, Clock& clock);

  // A snapshot of `ino`; kNotFound "no such inode" when the kernel forgot it.
  Result<InodeSnapshot> Get(InodeId ino) const;
  Result<Location> Locate(InodeId ino) const;
  // The parent of `ino` (kRootInode when unknown: ".." of a forgotten directory).
  InodeId ParentOf(InodeId ino) const;
  // The inode `name` in `parent` has, if any.
  std::optional<InodeId> ChildOf(InodeId parent, std::string_view name) const;

  // The inode of `name` in `parent` at `loc` (a new one when the name has none or had
  // another kind), with one more lookup, and its attributes after `keep`.
  struct Installed {
    InodeId ino = 0;
    ObjectAttrs attrs;
  };
  Installed Install(InodeId parent, std::string_view name, const Location& loc,
                    const ObjectAttrs& attrs, Keep keep = Keep::kNothing);
  // A rename: `ino` now lives at `to` (its container and key) as a child of `parent`,
  // keeping its number; a directory's known descendants move with it. Whoever held the
  // name loses it. Anything reading an inode's Location afterwards (an upload committing
  // a file being written) goes to the new name.
  void Move(InodeId ino, InodeId parent, const Location& to);
  // unlink/rmdir: `name` in `parent` no longer names its inode (InodeTable::Detach).
  void Detach(InodeId parent, std::string_view name);
  // True while `ino` still has its name: an upload about to commit a file that was
  // unlinked (or renamed over) meanwhile finds false and drops its data, as POSIX drops an
  // unlinked file's at its last close, instead of bringing the name back.
  bool Linked(InodeId ino) const;
  // Records what was learned about `ino`; false when it is gone (nothing recorded).
  bool SetAttrs(InodeId ino, const ObjectAttrs& attrs);
  // Records that the kernel's page cache of `ino` now holds `etag`; true when it held it
  // already (keep_cache). An empty etag never matches.
  bool SwapCachedEtag(InodeId ino, const std::string& etag);
  // Drops `n` lookups (InodeTable::Forget).
  void Forget(InodeId ino, uint64_t n);
  size_t size() const;

 private:
  bool FreshLocked(const Inode& inode) const REQUIRES(mu_);
  static Location LocationOf(const Inode& inode);

  Clock& clock_;
  mutable Mutex mu_;
  InodeTable table_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
