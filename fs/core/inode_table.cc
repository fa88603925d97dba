#include "core/inode_table.h"

#include <functional>

namespace swiftfs::core {

std::string_view Inode::name() const {
  if (key.empty()) return container;  // a container below the account root, or the root
  std::string_view k = key;
  if (k.back() == '/') k.remove_suffix(1);
  const size_t slash = k.rfind('/');
  return slash == std::string_view::npos ? k : k.substr(slash + 1);
}

size_t InodeTable::ChildKeyHash::operator()(const ChildKey& k) const {
  return std::hash<std::string_view>()(k.name) ^ (std::hash<InodeId>()(k.parent) * 31);
}

InodeTable::InodeTable(Inode root, size_t remembered_forgotten)
    : remembered_limit_(remembered_forgotten) {
  root.id = kRootInode;
  root.parent = kRootInode;
  inodes_.emplace(kRootInode, std::move(root));
}

Inode* InodeTable::Find(InodeId id) {
  auto it = inodes_.find(id);
  return it == inodes_.end() ? nullptr : &it->second;
}

const Inode* InodeTable::Find(InodeId id) const {
  auto it = inodes_.find(id);
  return it == inodes_.end() ? nullptr : &it->second;
}

Inode* InodeTable::FindChild(InodeId parent, std::string_view name) {
  auto it = children_.find(ChildKey{parent, name});
  return it == children_.end() ? nullptr : Find(it->second);
}

const Inode* InodeTable::FindChild(InodeId parent, std::string_view name) const {
  auto it = children_.find(ChildKey{parent, name});
  return it == children_.end() ? nullptr : Find(it->second);
}

Inode& InodeTable::Upsert(InodeId parent, std::string_view name, EntryKind kind,
                          std::string container, std::string key) {
  if (Inode* existing = FindChild(parent, name)) {
    if (existing->kind == kind) return *existing;
    Unlink(*existing);  // the name now means something else: new inode
  }
  const InodeId id = TakeId(container, key, kind);
  Inode& inode = inodes_[id];
  inode.id = id;
  inode.parent = parent;
  inode.kind = kind;
  inode.container = std::move(container);
  inode.key = std::move(key);
  children_.emplace(ChildKey{parent, inode.name()}, id);
  return inode;
}

void InodeTable::Unlink(const Inode& inode) {
  auto it = children_.find(ChildKey{inode.parent, inode.name()});
  if (it != children_.end() && it->second == inode.id) children_.erase(it);
}

void InodeTable::Relink(Inode& inode, InodeId parent, std::string container, std::string key) {
  inode.parent = parent;
  inode.container = std::move(container);
  inode.key = std::move(key);
  auto holder = children_.find(ChildKey{parent, inode.name()});
  if (holder != children_.end()) children_.erase(holder);
  children_.emplace(ChildKey{parent, inode.name()}, inode.id);
}

void InodeTable::Move(InodeId id, InodeId parent, std::string container, std::string key) {
  Inode* inode = Find(id);
  if (!inode) return;
  const std::string old_container = inode->container;
  const std::string old_key = inode->key;
  Unlink(*inode);
  Relink(*inode, parent, std::move(container), std::move(key));
  if (inode->kind != EntryKind::kDirectory || old_key.empty()) return;
  // Descendants: their names (and parents' ids) stay; their keys get the new prefix. The
  // ChildKey views point into the keys, so each is unlinked before its key changes.
  for (auto& [other_id, other] : inodes_) {
    if (other_id == id || other.container != old_container || !other.key.starts_with(old_key)) {
      continue;
    }
    Unlink(other);
    Relink(other, other.parent, inode->container, inode->key + other.key.substr(old_key.size()));
  }
}

bool InodeTable::Linked(InodeId id) const {
  if (id == kRootInode) return true;
  const Inode* inode = Find(id);
  if (!inode) return false;
  auto it = children_.find(ChildKey{inode->parent, inode->name()});
  return it != children_.end() && it->second == id;
}

void InodeTable::Detach(InodeId parent, std::string_view name) {
  auto it = children_.find(ChildKey{parent, name});
  if (it != children_.end()) children_.erase(it);
}

void InodeTable::Forget(InodeId id, uint64_t n) {
  if (id == kRootInode) return;
  auto it = inodes_.find(id);
  if (it == inodes_.end()) return;
  Inode& inode = it->second;
  inode.lookups = n >= inode.lookups ? 0 : inode.lookups - n;
  if (inode.lookups > 0) return;
  if (Linked(id)) Remember(inode);  // a detached or replaced inode's name is not its own
  Unlink(inode);
  inodes_.erase(it);
}

std::string InodeTable::RememberKey(std::string_view container, std::string_view key) {
  std::string joined(container);
  joined += '\0';  // never in a container name
  joined += key;
  return joined;
}

void InodeTable::Remember(const Inode& inode) {
  if (remembered_limit_ == 0) return;
  std::string joined = RememberKey(inode.container, inode.key);
  const uint64_t seq = ++remembered_seq_;
  forgotten_[joined] = Remembered{inode.id, inode.kind, seq};
  forgotten_order_.emplace_back(std::move(joined), seq);
  while (forgotten_order_.size() > remembered_limit_) {
    auto oldest = forgotten_.find(forgotten_order_.front().first);
    if (oldest != forgotten_.end() && oldest->second.seq == forgotten_order_.front().second) {
      forgotten_.erase(oldest);
    }
    forgotten_order_.pop_front();
  }
}

InodeId InodeTable::TakeId(const std::string& container, const std::string& key, EntryKind kind) {
  if (!forgotten_.empty()) {
    auto it = forgotten_.find(RememberKey(container, key));
    if (it != forgotten_.end()) {
      const Remembered remembered = it->second;
      forgotten_.erase(it);
      // Never a live inode's: numbers are remembered only once freed, and taken once.
      if (remembered.kind == kind && !inodes_.contains(remembered.id)) return remembered.id;
    }
  }
  return next_id_++;
}

}  // namespace swiftfs::core
