#pragma once
// Location: where an inode lives in Swift (container and object key; a directory's key is
// its prefix, "" or ending in '/'), copied out of the inode store so that requests run
// with no lock held. Every Location is built here or by the InodeStore: ChildLocation for
// a name inside a directory, InodeStore for an inode it holds; nothing assembles one by
// hand, so the "directory keys end in '/', containers of the account root have no key"
// rule lives in one place.
//
// The cache keys derived from a Location are here too: the DirectoryCache's
// "container/prefix" ("" for the account) and the MetadataCache's "container/key".

#include <string>
#include <string_view>
#include <utility>

#include "core/directory_listing.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

struct Location {
  InodeId ino = 0;  // 0 for a name not installed yet
  EntryKind kind = EntryKind::kDirectory;
  std::string container;  // "" for the account root
  std::string key;
};

// True for the account root: its entries are containers.
inline bool IsAccountRoot(const Location& dir) { return dir.container.empty(); }

// The location of `name` in the directory `dir`, as a `kind`.
Location ChildLocation(const Location& dir, std::string_view name, EntryKind kind);

// The directory holding `loc` (its prefix) and the name `loc` has in it. The name is a view
// into `loc.key`, so a temporary location is refused: the view would dangle.
std::pair<std::string, std::string_view> ParentPrefix(const Location& loc);
std::pair<std::string, std::string_view> ParentPrefix(Location&& loc) = delete;

// DirectoryCache key of the directory `prefix` of `container`.
std::string DirCacheKey(const std::string& container, const std::string& prefix);
inline std::string DirCacheKey(const Location& dir) { return DirCacheKey(dir.container, dir.key); }
// MetadataCache key of the object at `loc`.
std::string ObjectCacheKey(const Location& loc);

}  // namespace swiftfs::core
