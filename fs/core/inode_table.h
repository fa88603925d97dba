#pragma once
// InodeTable: the inodes the kernel knows about.
//
// Ids come from a counter and never go to another name, so a (parent, name) keeps its
// inode while the kernel holds a lookup on it and a stale kernel handle can never reach
// another object (the generation therefore stays constant). A name whose inode the kernel
// forgot gets the same number back when it is looked up again (the last
// kRememberedForgotten such names are remembered): the kernel may evict an inode between
// two system calls on one path (memory reclaim, drop_caches), and a tool comparing the
// st_ino of an lstat with the fstat of its open (GNU cp: "replaced while being copied")
// must not see a different file. Each inode records where it lives in Swift
// (container and object key; a directory's key is its prefix, ending in '/' or empty), so
// operations never walk up the tree, and a parent may be forgotten before its children.
//
// Lookup counts follow the FUSE protocol: every successful Lookup (and every readdirplus
// entry the kernel accepted) adds one, Forget drops n, and an inode at zero is freed —
// except the root, which lives as long as the table. When a name turns into another kind
// (a file became a directory), the name gets a new inode; the old one stays until the
// kernel forgets it, but is no longer reachable by name.
//
// Not thread-safe: InodeStore (inode_store.h) guards the table with its own mutex.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/object_attrs.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

struct Inode {
  InodeId id = 0;
  InodeId parent = 0;
  EntryKind kind = EntryKind::kDirectory;
  uint64_t lookups = 0;
  std::string container;    // "" for the account root
  std::string key;          // object name; directories: prefix ("" or ending in '/')
  ObjectAttrs attrs;        // what we last learned, with its expiry
  std::string cached_etag;  // etag the kernel's page cache holds (keep_cache on open)

  // The component this inode is known by in its parent (empty for the root).
  std::string_view name() const;
};

class InodeTable {
 public:
  static constexpr uint64_t kGeneration = 1;
  // About 100 bytes each: a few MB for the names of a large tree walk.
  static constexpr size_t kRememberedForgotten = 65536;

  explicit InodeTable(Inode root, size_t remembered_forgotten = kRememberedForgotten);

  Inode* Find(InodeId id);
  const Inode* Find(InodeId id) const;
  Inode* FindChild(InodeId parent, std::string_view name);
  const Inode* FindChild(InodeId parent, std::string_view name) const;
  // The inode of `name` in `parent`, of kind `kind`: the existing one when its kind
  // matches, else a new one (0 lookups) that takes over the name; a new one has the number
  // the name's forgotten inode of that kind had, when remembered.
  Inode& Upsert(InodeId parent, std::string_view name, EntryKind kind, std::string container,
                std::string key);
  // Moves inode `id` (a rename) to `key` in `container`, as a child of `parent`. Whatever
  // inode held that name loses it (it stays until forgotten, reachable by id only). The
  // descendants of a moved directory move with it: their keys start with the new prefix.
  void Move(InodeId id, InodeId parent, std::string container, std::string key);
  // Takes `name` in `parent` away from its inode (unlink, rmdir): the inode stays until the
  // kernel forgets it, reachable by id only, and the name is free for a new inode.
  void Detach(InodeId parent, std::string_view name);
  // True while inode `id` is reachable by its name (not detached by an unlink or rmdir,
  // not replaced by a rename over it); the root always.
  bool Linked(InodeId id) const;
  // Drops `n` lookups; frees the inode when none remain (never the root), remembering its
  // number for its name if it still had it. Unknown ids are ignored (the kernel may forget
  // what was already replaced and freed).
  void Forget(InodeId id, uint64_t n);
  size_t size() const { return inodes_.size(); }

 private:
  struct ChildKey {
    InodeId parent;
    std::string_view name;  // points into the child Inode's own strings
    bool operator==(const ChildKey&) const = default;
  };
  struct ChildKeyHash {
    size_t operator()(const ChildKey& k) const;
  };
  void Unlink(const Inode& inode);
  // Re-keys `inode` (not linked) to container/key under `parent` and links it, taking the
  // name from whoever held it.
  void Relink(Inode& inode, InodeId parent, std::string container, std::string key);

  // The number a forgotten inode had, by its container and key (RememberKey).
  struct Remembered {
    InodeId id;
    EntryKind kind;
    uint64_t seq;  // matches forgotten_order_'s entry, so a stale one expires nothing
  };
  static std::string RememberKey(std::string_view container, std::string_view key);
  void Remember(const Inode& inode);
  // The remembered number of container/key if it was of `kind` (then no longer
  // remembered: the number goes to a live inode), else a new one.
  InodeId TakeId(const std::string& container, const std::string& key, EntryKind kind);

  InodeId next_id_ = kRootInode + 1;
  size_t remembered_limit_;
  uint64_t remembered_seq_ = 0;
  std::unordered_map<std::string, Remembered> forgotten_;
  std::deque<std::pair<std::string, uint64_t>> forgotten_order_;  // oldest first
  // Node-based maps: an Inode never moves, so ChildKey's string_view stays valid.
  std::unordered_map<InodeId, Inode> inodes_;
  std::unordered_map<ChildKey, InodeId, ChildKeyHash> children_;
};

}  // namespace swiftfs::core
