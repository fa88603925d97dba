#include "core/inode_store.h"

#include <utility>

namespace swiftfs::core {

InodeStore::InodeStore(Inode root, Clock& clock) : clock_(clock), table_(std::move(root)) {}

bool InodeStore::FreshLocked(const Inode& inode) const {
  if (inode.kind == EntryKind::kDirectory) return true;
  return inode.attrs.size_verified && inode.attrs.mtime_verified &&
         clock_.Monotonic() < inode.attrs.expiry;
}

Location InodeStore::LocationOf(const Inode& inode) {
  return Location{inode.id, inode.kind, inode.container, inode.key};
}

Result<InodeSnapshot> InodeStore::Get(InodeId ino) const {
  MutexLock lock(mu_);
  const Inode* inode = table_.Find(ino);
  if (!inode) return MakeError(ErrorCode::kNotFound, "no such inode");
  return InodeSnapshot{LocationOf(*inode), inode->parent, inode->attrs, FreshLocked(*inode)};
}

Result<Location> InodeStore::Locate(InodeId ino) const {
  MutexLock lock(mu_);
  const Inode* inode = table_.Find(ino);
  if (!inode) return MakeError(ErrorCode::kNotFound, "no such inode");
  return LocationOf(*inode);
}

InodeId InodeStore::ParentOf(InodeId ino) const {
  MutexLock lock(mu_);
  const Inode* inode = table_.Find(ino);
  return inode ? inode->parent : kRootInode;
}

std::optional<InodeId> InodeStore::ChildOf(InodeId parent, std::string_view name) const {
  MutexLock lock(mu_);
  const Inode* child = table_.FindChild(parent, name);
  if (!child) return std::nullopt;
  return child->id;
}

InodeStore::Installed InodeStore::Install(InodeId parent, std::string_view name,
                                          const Location& loc, const ObjectAttrs& attrs,
                                          Keep keep) {
  MutexLock lock(mu_);
  // Decided before Upsert: a new inode's default attributes are never worth keeping.
  const Inode* existing = table_.FindChild(parent, name);
  const bool keep_own =
      keep == Keep::kFreshAttrs && existing && existing->kind == loc.kind && FreshLocked(*existing);
  Inode& inode = table_.Upsert(parent, name, loc.kind, loc.container, loc.key);
  ++inode.lookups;
  if (!keep_own) inode.attrs = attrs;
  return Installed{inode.id, inode.attrs};
}

void InodeStore::Move(InodeId ino, InodeId parent, const Location& to) {
  MutexLock lock(mu_);
  table_.Move(ino, parent, to.container, to.key);
}

bool InodeStore::Linked(InodeId ino) const {
  MutexLock lock(mu_);
  return table_.Linked(ino);
}

void InodeStore::Detach(InodeId parent, std::string_view name) {
  MutexLock lock(mu_);
  table_.Detach(parent, name);
}

bool InodeStore::SetAttrs(InodeId ino, const ObjectAttrs& attrs) {
  MutexLock lock(mu_);
  Inode* inode = table_.Find(ino);
  if (!inode) return false;
  inode->attrs = attrs;
  return true;
}

bool InodeStore::SwapCachedEtag(InodeId ino, const std::string& etag) {
  MutexLock lock(mu_);
  Inode* inode = table_.Find(ino);
  if (!inode) return false;
  const bool held = !etag.empty() && inode->cached_etag == etag;
  inode->cached_etag = etag;
  return held;
}

void InodeStore::Forget(InodeId ino, uint64_t n) {
  MutexLock lock(mu_);
  table_.Forget(ino, n);
}

size_t InodeStore::size() const {
  MutexLock lock(mu_);
  return table_.size();
}

}  // namespace swiftfs::core
