#include "core/local_changes.h"

#include <utility>
#include <vector>

#include "core/location.h"

namespace swiftfs::core {

namespace {

bool IsDirectory(const ListingEntry& entry) { return entry.kind == EntryKind::kDirectory; }

}  // namespace

ListedName ListedNameOf(const std::string& container, std::string_view key) {
  ListedName where;
  if (key.empty()) {  // the container itself, an entry of the account root
    where.name = container;
    where.directory = true;
    return where;
  }
  if (key.back() == '/') {
    where.directory = true;
    key.remove_suffix(1);
  }
  const size_t slash = key.rfind('/');
  const std::string prefix =
      slash == std::string_view::npos ? "" : std::string(key.substr(0, slash + 1));
  where.dir_key = DirCacheKey(container, prefix);
  where.name = std::string(slash == std::string_view::npos ? key : key.substr(slash + 1));
  return where;
}

LocalChanges::LocalChanges(Clock& clock, std::chrono::steady_clock::duration lifetime,
                           size_t max_changes)
    : clock_(clock), lifetime_(lifetime), max_changes_(max_changes == 0 ? 1 : max_changes) {}

void LocalChanges::NoteWritten(const std::string& container, const std::string& name,
                               const ObjectAttrs& attrs) {
  ListingEntry entry;
  entry.kind = EntryKind::kFile;
  entry.size = attrs.size;
  entry.etag = attrs.etag;
  entry.mtime = attrs.mtime;
  entry.written_here = true;
  NotePresent(container, name, std::move(entry), "");
}

void LocalChanges::NotePresent(const std::string& container, const std::string& key,
                               ListingEntry entry, std::string content_type) {
  ListedName where = ListedNameOf(container, key);
  LocalChange change;
  entry.name = where.name;
  change.entry = std::move(entry);
  change.content_type = std::move(content_type);
  Note(std::move(where), std::move(change));
}

void LocalChanges::NoteDirectory(const std::string& container, const std::string& prefix) {
  ListedName where = ListedNameOf(container, prefix);
  LocalChange change;
  change.entry.name = where.name;
  change.entry.kind = EntryKind::kDirectory;
  change.entry.mtime = clock_.Now();
  Note(std::move(where), std::move(change));
}

void LocalChanges::NoteRemoved(const std::string& container, const std::string& key) {
  ListedName where = ListedNameOf(container, key);
  LocalChange change;
  change.removed = true;
  change.entry.name = where.name;
  change.entry.kind = where.directory ? EntryKind::kDirectory : EntryKind::kFile;
  Note(std::move(where), std::move(change));
}

void LocalChanges::Note(ListedName where, LocalChange change) {
  change.noted_at = clock_.Monotonic();
  change.noted_wall = clock_.Now();
  MutexLock lock(mu_);
  ExpireLocked();
  Names& names = dirs_[where.dir_key];
  // One change per name: the latest says what the name is now (a removed file followed by
  // a directory of the same name replaces it, and the other way round).
  if (auto old = names.find(where.name); old != names.end()) {
    order_.erase(old->second.age);
    names.erase(old);
  }
  order_.emplace_back(where.dir_key, where.name);
  names.emplace(where.name, Node{std::move(change), std::prev(order_.end())});
  while (order_.size() > max_changes_) {
    auto dir = dirs_.find(order_.front().first);
    EraseLocked(dir, dir->second.find(order_.front().second));
  }
}

void LocalChanges::EraseLocked(std::unordered_map<std::string, Names>::iterator dir,
                               Names::iterator it) {
  order_.erase(it->second.age);
  dir->second.erase(it);
  if (dir->second.empty()) dirs_.erase(dir);
}

void LocalChanges::ExpireLocked() {
  const auto now = clock_.Monotonic();
  while (!order_.empty()) {
    auto dir = dirs_.find(order_.front().first);
    auto it = dir->second.find(order_.front().second);
    if (now < it->second.change.noted_at + lifetime_) break;
    EraseLocked(dir, it);
  }
}

std::optional<LocalChange> LocalChanges::Find(const std::string& container,
                                              const std::string& key) {
  const ListedName where = ListedNameOf(container, key);
  MutexLock lock(mu_);
  ExpireLocked();
  auto dir = dirs_.find(where.dir_key);
  if (dir == dirs_.end()) return std::nullopt;
  auto it = dir->second.find(where.name);
  if (it == dir->second.end()) return std::nullopt;
  // `x` and `x/` share a listing name; a change says something of its own class only.
  if (IsDirectory(it->second.change.entry) != where.directory) return std::nullopt;
  return it->second.change;
}

bool LocalChanges::RemovedHere(const std::string& container, const std::string& key,
                               std::string_view stop_prefix) {
  std::string_view at = key;
  while (at.size() > stop_prefix.size()) {
    auto change = Find(container, std::string(at));
    if (change && change->removed) return true;
    // Up one level: "a/b/c" or "a/b/c/" -> "a/b/".
    std::string_view trimmed = at.substr(0, at.size() - (at.back() == '/' ? 1 : 0));
    const size_t slash = trimmed.rfind('/');
    if (slash == std::string_view::npos) break;
    at = trimmed.substr(0, slash + 1);
  }
  return false;
}

bool LocalChanges::AnyPresentUnder(const std::string& container, const std::string& prefix) {
  const std::string under = DirCacheKey(container, prefix);
  MutexLock lock(mu_);
  ExpireLocked();
  for (const auto& [dir_key, names] : dirs_) {
    if (!dir_key.starts_with(under)) continue;
    for (const auto& [name, node] : names) {
      if (!node.change.removed) return true;
    }
  }
  return false;
}

std::vector<std::string> LocalChanges::PresentUnder(const std::string& container,
                                                    const std::string& prefix) {
  const std::string under = DirCacheKey(container, prefix);
  const size_t container_part = container.size() + 1;  // "container/"
  std::vector<std::string> keys;
  MutexLock lock(mu_);
  ExpireLocked();
  for (const auto& [dir_key, names] : dirs_) {
    if (!dir_key.starts_with(under)) continue;
    for (const auto& [name, node] : names) {
      if (node.change.removed) continue;
      std::string key = dir_key.substr(container_part) + name;
      if (IsDirectory(node.change.entry)) key += '/';
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

bool LocalChanges::Has(const std::string& dir_key) {
  MutexLock lock(mu_);
  ExpireLocked();
  return dirs_.contains(dir_key);
}

bool LocalChanges::Agrees(const LocalChange& change, const ListingEntry* listed,
                          std::chrono::steady_clock::time_point fetched_at) {
  if (fetched_at < change.noted_at) return false;  // listed before the change: cannot know
  if (listed && listed->mtime > change.noted_wall) return true;  // changed since: theirs
  if (change.removed) return listed == nullptr;
  if (!listed) return false;
  if (IsDirectory(change.entry)) return true;
  return !change.entry.etag.empty() && listed->etag == change.entry.etag;
}

ListingPtr LocalChanges::Apply(const std::string& dir_key, ListingPtr listing, bool from_swift) {
  MutexLock lock(mu_);
  ExpireLocked();
  auto dir = dirs_.find(dir_key);
  if (dir == dirs_.end()) return listing;
  // The changes that still say something this listing does not, by name.
  std::map<std::string_view, const LocalChange*> apply;
  std::vector<Names::iterator> ended;
  for (auto it = dir->second.begin(); it != dir->second.end(); ++it) {
    const LocalChange& change = it->second.change;
    const ListingEntry* listed = listing->Find(change.entry.name);
    // Only an entry of the same class is the same thing (a file `x` and a directory `x/`
    // are different objects in Swift).
    if (listed && IsDirectory(*listed) != IsDirectory(change.entry)) listed = nullptr;
    if (from_swift && Agrees(change, listed, listing->fetched_at())) {
      ended.push_back(it);
      continue;
    }
    const bool shown_as_noted = listed && !change.removed && listed->etag == change.entry.etag &&
                                listed->size == change.entry.size &&
                                listed->kind == change.entry.kind;
    if (!shown_as_noted && (listed || !change.removed)) apply.emplace(change.entry.name, &change);
  }

  ListingPtr result = listing;
  if (!apply.empty()) {
    DirectoryListingBuilder builder;
    for (const ListingEntry& entry : listing->entries()) {
      // A changed name's listed entry of the same class goes (removed, or replaced by
      // ours); one of the other class stays, and the listing lets a directory win.
      auto change = apply.find(entry.name);
      if (change != apply.end() && IsDirectory(change->second->entry) == IsDirectory(entry)) {
        continue;
      }
      builder.Add(entry, listing->content_type(entry));
    }
    for (const auto& [name, change] : apply) {
      if (!change->removed) builder.Add(change->entry, change->content_type);
    }
    result = std::move(builder).Build(listing->fetched_at());
  }
  // Last: erasing may drop the directory's map, which `apply` points into.
  for (Names::iterator it : ended) {
    const bool last = dir->second.size() == 1;
    EraseLocked(dir, it);
    if (last) break;
  }
  return result;
}

size_t LocalChanges::size() const {
  MutexLock lock(mu_);
  return order_.size();
}

}  // namespace swiftfs::core
