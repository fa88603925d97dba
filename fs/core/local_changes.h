#pragma once
// LocalChanges: what this mount created, wrote, renamed or removed, remembered per
// directory until a Swift listing agrees. Swift updates container listings
// asynchronously (an object server PUT/DELETE queues the container update), so a listing
// fetched right after a write may lack the new name or still show a removed one; HEAD and
// GET of the object itself are current. The overlay makes the mount read its own writes:
// the DirectoryState merges it into every whole listing that enters the directory cache
// (Apply) and into the cached one when a change is noted, and lookups that go by
// requests ask it first (Find).
//
// A change is one of:
//   present  a file or symlink committed here (its listing entry: size, etag, mtime), or
//            a directory created here (a marker, or a container at the account root);
//   removed  a name deleted here, of one class (directory, or not): a listing that still
//            shows it hides it.
// Keys are the DirectoryCache's ("container/prefix", "" for the account) plus the entry's
// component, so a change lands exactly where a listing would show it.
//
// When a change ends (so a remote change made later is seen again):
//   - a listing fetched at or after the change was noted agrees: it shows the present
//     entry with our etag (a directory: as a directory), or no longer shows the removed
//     one; or it shows an entry modified after ours (another client wrote since: theirs
//     wins);
//   - `lifetime` after it was noted (kLocalChangeLifetime by default: Swift's container
//     updates normally land in seconds, under heavy load in minutes);
//   - when more than `max_changes` are remembered, the oldest go first.
// A listing that started before the change was noted never ends it (it cannot know).
//
// INVARIANT: every change is in both `dirs_` (by directory and name) and `order_` (by age,
// oldest first), and each knows its place in `order_`.
// Thread-safe; mu_ is a leaf lock (DirectoryState calls in holding its own mu_).

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/directory_cache.h"
#include "core/directory_listing.h"
#include "core/object_attrs.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

inline constexpr std::chrono::seconds kLocalChangeLifetime{300};
inline constexpr size_t kMaxLocalChanges = 100'000;

struct LocalChange {
  bool removed = false;
  // present: the entry to show (name, kind, size, etag, mtime, raw symlink target);
  // removed: its name and kind (kDirectory or not is what counts).
  ListingEntry entry;
  std::string content_type;
  std::chrono::steady_clock::time_point noted_at{};
  swift::WallTime noted_wall{};  // for "modified after ours" of a removed name
};

// Where a (container, key) shows in listings: the directory key and the component.
// key "" is the container itself (an entry of the account root); a key ending in '/' is
// a directory (marker or prefix).
struct ListedName {
  std::string dir_key;
  std::string name;
  bool directory = false;
};
ListedName ListedNameOf(const std::string& container, std::string_view key);

class LocalChanges {
 public:
  LocalChanges(Clock& clock, std::chrono::steady_clock::duration lifetime = kLocalChangeLifetime,
               size_t max_changes = kMaxLocalChanges);

  // A file committed by this mount at container/name with `attrs` (size, etag, mtime).
  void NoteWritten(const std::string& container, const std::string& name, const ObjectAttrs& attrs);
  // Any present entry (a renamed symlink keeps its raw target), at container/key.
  void NotePresent(const std::string& container, const std::string& key, ListingEntry entry,
                   std::string content_type);
  // A directory created by this mount: `prefix` ends in '/' ("" with a container: the
  // container itself).
  void NoteDirectory(const std::string& container, const std::string& prefix);
  // A name removed by this mount: `key` as above (a directory's ends in '/'; "" for a
  // container).
  void NoteRemoved(const std::string& container, const std::string& key);

  // The live change of container/key, if any and of the key's class (a directory's key
  // ends in '/'): `x` and `x/` share one listing name, and the latest change of either
  // is the one remembered.
  std::optional<LocalChange> Find(const std::string& container, const std::string& key);
  // True when container/key, or a directory above it up to (not including) `stop_prefix`,
  // was removed here (an rmdir's emptiness check skips what a lagging listing still shows).
  bool RemovedHere(const std::string& container, const std::string& key,
                   std::string_view stop_prefix);
  // True when some present change lies under directory `prefix` of `container`, at any
  // depth (a lagging listing may not show what was just written into it).
  bool AnyPresentUnder(const std::string& container, const std::string& prefix);

  // The keys of the present changes under directory `prefix` of `container`, at any
  // depth (a directory's ends in '/'): what a directory rename must move although a
  // lagging listing does not show it yet.
  std::vector<std::string> PresentUnder(const std::string& container, const std::string& prefix);

  // `listing` of directory `dir_key` with the live changes applied (the same pointer when
  // none apply). With `from_swift` (a listing as Swift sent it) it also ends the changes
  // it agrees with (see above); a listing merged before (the cached one, updated when a
  // change is noted) must not: it agrees with the overlay because it was made from it.
  ListingPtr Apply(const std::string& dir_key, ListingPtr listing, bool from_swift = true);
  // True when some change lives for `dir_key` (cheap: decides whether Apply is needed).
  bool Has(const std::string& dir_key);

  size_t size() const;

 private:
  struct Node {
    LocalChange change;
    std::list<std::pair<std::string, std::string>>::iterator age;  // in order_
  };
  using Names = std::map<std::string, Node, std::less<>>;

  void Note(ListedName where, LocalChange change);
  void EraseLocked(std::unordered_map<std::string, Names>::iterator dir, Names::iterator it)
      REQUIRES(mu_);
  void ExpireLocked() REQUIRES(mu_);
  // True when `listed` (or its absence) in a listing fetched at `fetched_at` ends `change`.
  static bool Agrees(const LocalChange& change, const ListingEntry* listed,
                     std::chrono::steady_clock::time_point fetched_at);

  Clock& clock_;
  const std::chrono::steady_clock::duration lifetime_;
  const size_t max_changes_;
  mutable Mutex mu_;
  std::unordered_map<std::string, Names> dirs_ GUARDED_BY(mu_);
  std::list<std::pair<std::string, std::string>> order_ GUARDED_BY(mu_);  // (dir_key, name)
};

}  // namespace swiftfs::core
