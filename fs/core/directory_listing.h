#pragma once
// DirectoryListing: the entries of one directory as a filesystem sees them, built once from
// a Swift listing (all pages) and then shared, immutable, by the directory cache, open
// directory handles and lookups. Entries are sorted by name (bytes) and unique, so a lookup
// is a binary search and readdir offsets are indexes. A huge directory's handle holds one
// chunk of its listing at a time, each a DirectoryListing of its own (the core's
// ListingFetcher and DirectoryStream); such a partial listing is never cached.
//
// Memory: an entry keeps only what getattr/readdirplus need (name, kind, size, mtime,
// etag, symlink target); content types are interned per listing, since a directory
// usually holds few distinct ones. A 100,000-entry directory costs roughly 15-20 MiB held
// whole, which is why directories beyond the core's stream threshold (50,000 entries by
// default) are not.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

enum class EntryKind : uint8_t { kFile, kDirectory, kSymlink };

struct ListingEntry {
  std::string name;            // one path component, never empty, ".", ".." or over 255 bytes
  std::string etag;            // files: the listing's hash
  std::string symlink_target;  // symlinks: "container/object" as Swift stores it
  swift::WallTime mtime{};     // listing last_modified (containers: their last_modified)
  uint64_t size = 0;
  uint16_t content_type = 0;  // index into DirectoryListing::content_type()
  EntryKind kind = EntryKind::kFile;
  // A 0-byte file that may be a DLO manifest (listed as 0 bytes, real size only by HEAD).
  bool size_unverified = false;
  // Symlink whose target is in another account (cannot resolve inside the mount).
  bool foreign_symlink = false;
  // A file this mount wrote (the local overlay, local_changes.h): `mtime` is the one it
  // stored as X-Object-Meta-Mtime, so no HEAD is needed to know it.
  bool written_here = false;
};

class DirectoryListing {
 public:
  // Takes entries in any order; sorts them and keeps one entry per name. When a name
  // appears twice (object `a` next to pseudo-directory `a/`, or a directory marker next
  // to its subdir entry) the directory wins, as the man page documents.
  DirectoryListing(std::vector<ListingEntry> entries, std::vector<std::string> content_types,
                   std::chrono::steady_clock::time_point fetched_at);

  const std::vector<ListingEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  // The entry called `name`, or nullptr.
  const ListingEntry* Find(std::string_view name) const;
  const std::string& content_type(const ListingEntry& entry) const;
  // Monotonic time of the first listing request: freshness is measured from it.
  std::chrono::steady_clock::time_point fetched_at() const { return fetched_at_; }

 private:
  std::vector<ListingEntry> entries_;
  std::vector<std::string> content_types_;
  std::chrono::steady_clock::time_point fetched_at_;
};

// Collects entries and interns their content types while pages arrive.
class DirectoryListingBuilder {
 public:
  // Adds an entry; `content_type` is interned.
  void Add(ListingEntry entry, std::string_view content_type);
  size_t size() const { return entries_.size(); }
  std::shared_ptr<const DirectoryListing> Build(
      std::chrono::steady_clock::time_point fetched_at) &&;

 private:
  std::vector<ListingEntry> entries_;
  std::vector<std::string> content_types_{""};
  std::unordered_map<std::string, uint16_t> content_type_index_{{"", 0}};
};

}  // namespace swiftfs::core
