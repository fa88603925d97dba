// rename(2). Swift has no rename: a file is copied server-side (a manifest as a manifest,
// so an SLO's segments are shared, never downloaded or uploaded again) and the source is
// then deleted (kObjectOnly: the copy now names the segments).
//
// Files. The copy carries If-Match with the source's ETag from a fresh HEAD, so a source
// that changed since is not half-renamed (one retry with the new version, then the 412).
// Swift's DELETE takes no precondition, so a version written to the source between the
// copy and the delete is lost; and a delete that fails leaves the file under both names
// (the error is returned). RENAME_NOREPLACE: kExists when the destination exists as far
// as this mount can tell, and the copy carries If-None-Match: * (instead of If-Match: one
// 412 cannot tell the two apart), so a destination another client created meanwhile is
// not overwritten either, except one whose listing and HEAD both lag. RENAME_EXCHANGE
// cannot be done on Swift: kInvalidArgument. A replaced destination's own SLO segments
// (own_segments.h) are deleted after the copy replaced its manifest.
//
// A file being written (open for writing, maybe not in Swift yet): its inode keeps its
// number and only its Location changes (InodeStore::Move). THE HOOK for uploads: an
// upload reads its inode's Location (InodeStore::Locate) when it commits, so a commit
// after the rename goes to the new name; what Swift already holds under the old name is
// copied and deleted here. An upload committing while a rename of its file runs may still
// land on the old name: the upload serialises its commit with renames of its inode if it
// needs more.
//
// Directories: every object under the prefix (markers included) is copied, then every
// source deleted, up to FsOptions::rename_directory_max_objects; beyond it kCrossDevice
// (EXDEV) before anything changes, so mv copies and deletes file by file itself. A copy
// that fails removes the copies made and leaves the source whole; a delete that fails
// leaves those objects under both names. No If-Match here (a listing's hash is not an
// SLO's ETag). Containers cannot be renamed: kCrossDevice at the account root.
#include <set>

#include "core/filesystem_impl.h"
#include "core/name_mapping.h"

namespace swiftfs::core {

namespace {

// The overlay entry of an object moved to its new name.
ListingEntry MovedEntry(const swift::ObjectInfo& info) {
  ListingEntry entry;
  entry.kind = ClassifyObject(info);
  entry.size = info.size;
  entry.etag = info.etag;
  entry.mtime = info.meta_mtime.value_or(info.last_modified);
  entry.symlink_target = info.symlink_target.value_or("");
  entry.foreign_symlink = info.symlink_target_account.has_value();
  return entry;
}

}  // namespace

Status Filesystem::Impl::Rename(InodeId parent, std::string_view name, InodeId new_parent,
                                std::string_view new_name, RenameMode mode) {
  if (options_.read_only) return MakeError(ErrorCode::kReadOnly, "read-only mount");
  if (mode == RenameMode::kExchange) {
    return MakeError(ErrorCode::kInvalidArgument, "RENAME_EXCHANGE is not possible on Swift");
  }
  auto from = WritableDir(parent, name);
  if (!from) return std::move(from).error();
  auto to = WritableDir(new_parent, new_name);
  if (!to) return std::move(to).error();
  auto source = FindExisting(parent, *from, name, true);  // the HEAD or listing below asks
  if (!source) return std::move(source).error();
  if (IsAccountRoot(*from) || IsAccountRoot(*to)) {
    return MakeError(ErrorCode::kCrossDevice, "containers cannot be renamed");
  }
  const bool directory = source->loc.kind == EntryKind::kDirectory;
  const Location target = ChildLocation(*to, new_name, source->loc.kind);
  if (target.container == source->loc.container && target.key == source->loc.key) {
    return OkStatus();  // the same name
  }
  if (directory && target.container == source->loc.container &&
      target.key.starts_with(source->loc.key)) {
    return MakeError(ErrorCode::kInvalidArgument, "cannot move a directory into itself");
  }

  std::optional<Existing> replaced;
  auto dest = FindExisting(new_parent, *to, new_name, false);
  if (dest) {
    if (mode == RenameMode::kNoReplace) {
      return MakeError(ErrorCode::kExists, "destination exists", 0, std::string(new_name));
    }
    const bool dest_directory = dest->loc.kind == EntryKind::kDirectory;
    if (directory && !dest_directory) {
      return MakeError(ErrorCode::kNotADirectory, "destination is not a directory");
    }
    if (!directory && dest_directory) {
      return MakeError(ErrorCode::kIsADirectory, "destination is a directory");
    }
    if (dest_directory) {
      if (Status empty = CheckEmpty(dest->loc); !empty) return empty;
    }
    replaced = std::move(*dest);
  } else if (dest.error().code != ErrorCode::kNotFound) {
    return std::move(dest).error();
  }
  if (directory) return RenameDirectory(*source, new_parent, target);
  return RenameFile(*source, new_parent, target, replaced, mode);
}

Status Filesystem::Impl::RenameFile(const Existing& source, InodeId new_parent,
                                    const Location& target, const std::optional<Existing>& replaced,
                                    RenameMode mode) {
  const Location& src = source.loc;
  auto info = client_.HeadObject(src.container, src.key);
  if (!info && (info.error().code != ErrorCode::kNotFound || source.ino == 0)) {
    return std::move(info).error();
  }
  // A replaced destination's own segments, freed once the copy replaced its manifest.
  std::vector<swift::SloSegment> freed;
  if (replaced) {
    auto old = client_.HeadObject(target.container, target.key);
    if (old) freed = OwnSegmentsOf(target, *old);
  }

  if (info) {
    swift::ObjectWrite write;
    write.container = target.container;
    write.name = target.key;
    if (mode == RenameMode::kNoReplace) {
      write.if_none_match = true;
    } else {
      write.etag = info->etag;  // If-Match on the source
    }
    auto copied = client_.CopyObject(src.container, src.key, write);
    if (!copied && copied.error().code == ErrorCode::kPreconditionFailed &&
        mode != RenameMode::kNoReplace) {
      // Changed since the HEAD: rename the version there is now, once.
      info = client_.HeadObject(src.container, src.key);
      if (!info) return std::move(info).error();
      write.etag = info->etag;
      copied = client_.CopyObject(src.container, src.key, write);
    }
    if (!copied) return std::move(copied).error();
    Status deleted = client_.DeleteObject(src.container, src.key, swift::DeleteMode::kObjectOnly);
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) {
      logger_.Warning("rename: " + ObjectCacheKey(target) + " copied but " + ObjectCacheKey(src) +
                      " not deleted: " + deleted.error().ToString());
      dirs_.NotePresent(target.container, target.key, MovedEntry(*info), info->content_type);
      heads_.Invalidate(target);
      return deleted;
    }
    if (info->is_slo && !freed.empty()) {
      // Never a segment the moved manifest names (shared by a copy made elsewhere).
      auto moved = client_.GetManifest(target.container, target.key);
      if (!moved) {
        freed.clear();
      } else {
        std::set<std::string> kept;
        for (const swift::SloSegment& segment : *moved) kept.insert(segment.path);
        std::erase_if(freed, [&](const swift::SloSegment& s) { return kept.contains(s.path); });
      }
    }
  } else if (replaced) {
    // Not in Swift yet (its upload commits to the new name later): the name it replaces
    // goes now, as rename(2) says.
    Status gone = client_.DeleteObject(
        target.container, target.key,
        freed.empty() ? swift::DeleteMode::kObjectOnly : swift::DeleteMode::kWithSegments);
    if (!gone && gone.error().code != ErrorCode::kNotFound) return gone;
    freed.clear();
  }
  DeleteSegments(freed);

  dirs_.NoteRemoved(src.container, src.key);
  heads_.Invalidate(src);
  heads_.Invalidate(target);
  const std::string target_name(ParentPrefix(target).second);
  if (info) {
    ListingEntry entry = MovedEntry(*info);
    const ObjectAttrs attrs = attrs_.AttrsFromEntry(entry, target, clock_.Monotonic());
    dirs_.NotePresent(target.container, target.key, std::move(entry), info->content_type);
    if (source.ino != 0) inodes_.SetAttrs(source.ino, attrs);
  }
  if (source.ino != 0) {
    inodes_.Move(source.ino, new_parent, target);
  } else {
    inodes_.Detach(new_parent, target_name);
  }
  return OkStatus();
}

Result<std::vector<swift::ListEntry>> Filesystem::Impl::ObjectsToMove(const Location& dir) {
  const size_t limit = options_.rename_directory_max_objects;
  const Error too_many = MakeError(ErrorCode::kCrossDevice,
                                   "directory holds more than " + std::to_string(limit) +
                                       " objects (rename_dir_limit): moved by copying instead",
                                   0, ObjectCacheKey(dir));
  LocalChanges& changes = dirs_.local_changes();
  std::map<std::string, swift::ListEntry> found;
  swift::ListRequest request;
  request.container = dir.container;
  request.prefix = dir.key;
  request.limit = static_cast<uint32_t>(std::min<size_t>(limit, 9999) + 1);
  while (true) {
    auto page = client_.ListObjects(request);
    if (!page) return std::move(page).error();
    for (swift::ListEntry& entry : page->entries) {
      if (entry.kind != swift::ListEntry::Kind::kObject) continue;
      if (changes.RemovedHere(dir.container, entry.name, dir.key)) continue;  // lagging listing
      std::string name = entry.name;
      found.emplace(std::move(name), std::move(entry));
    }
    if (found.size() > limit) return too_many;
    if (page->entries.size() < request.limit) break;
    request.marker = page->entries.back().name;
  }
  // Written here, not listed yet; and the directory's own marker made here.
  std::vector<std::string> local = changes.PresentUnder(dir.container, dir.key);
  local.push_back(dir.key);
  for (const std::string& key : local) {
    if (found.contains(key)) continue;
    auto change = changes.Find(dir.container, key);
    if (!change || change->removed) continue;
    swift::ListEntry entry;
    entry.name = key;
    entry.info.name = key;
    entry.info.size = change->entry.size;
    entry.info.etag = change->entry.etag;
    entry.info.last_modified = change->entry.mtime;
    entry.info.content_type = change->entry.kind == EntryKind::kDirectory ? "application/directory"
                                                                          : change->content_type;
    if (!change->entry.symlink_target.empty()) {
      entry.info.symlink_target = change->entry.symlink_target;
    }
    found.emplace(key, std::move(entry));
  }
  if (found.size() > limit) return too_many;
  std::vector<swift::ListEntry> objects;
  objects.reserve(found.size());
  for (auto& [name, entry] : found) objects.push_back(std::move(entry));
  return objects;
}

Status Filesystem::Impl::RenameDirectory(const Existing& source, InodeId new_parent,
                                         const Location& target) {
  const Location& src = source.loc;
  auto objects = ObjectsToMove(src);
  if (!objects) return std::move(objects).error();
  auto moved_name = [&](const std::string& name) {
    return target.key + name.substr(src.key.size());
  };

  // Copy everything first: a failure leaves the source whole.
  std::vector<const swift::ListEntry*> copied;
  for (const swift::ListEntry& object : *objects) {
    swift::ObjectWrite write;
    write.container = target.container;
    write.name = moved_name(object.name);
    auto copy = client_.CopyObject(src.container, object.name, write);
    if (!copy && copy.error().code == ErrorCode::kNotFound) continue;  // gone meanwhile
    if (!copy) {
      for (const swift::ListEntry* made : copied) {
        (void)client_.DeleteObject(target.container, moved_name(made->name),
                                   swift::DeleteMode::kObjectOnly);
      }
      return std::move(copy).error();
    }
    copied.push_back(&object);
  }
  // Then delete the sources; what the overlay records is what Swift holds now.
  dirs_.NoteRemoved(src.container, src.key);
  dirs_.NoteDirectory(target.container, target.key);
  std::set<std::string> directories;  // pseudo-directories on the way to each object
  Status result = OkStatus();
  for (const swift::ListEntry* object : copied) {
    const std::string to = moved_name(object->name);
    for (size_t slash = to.find('/', target.key.size()); slash != std::string::npos;
         slash = to.find('/', slash + 1)) {
      directories.insert(to.substr(0, slash + 1));
    }
    Status deleted =
        client_.DeleteObject(src.container, object->name, swift::DeleteMode::kObjectOnly);
    if (!deleted && deleted.error().code != ErrorCode::kNotFound) {
      if (result.ok()) result = deleted;
    } else {
      dirs_.NoteRemoved(src.container, object->name);
    }
    if (to.back() == '/') {
      dirs_.NoteDirectory(target.container, to);
    } else {
      dirs_.NotePresent(target.container, to, MovedEntry(object->info), object->info.content_type);
    }
    heads_.Invalidate(ChildLocation(Location{0, EntryKind::kDirectory, src.container, ""},
                                    object->name, EntryKind::kFile));
    heads_.Invalidate(ChildLocation(Location{0, EntryKind::kDirectory, target.container, ""}, to,
                                    EntryKind::kFile));
  }
  for (const std::string& prefix : directories) dirs_.NoteDirectory(target.container, prefix);
  if (!result.ok()) {
    logger_.Warning("rename of " + ObjectCacheKey(src) +
                    " left objects under both names: " + result.error().ToString());
    return result;
  }
  if (source.ino != 0) {
    inodes_.Move(source.ino, new_parent, target);
  } else {
    inodes_.Detach(new_parent, ParentPrefix(target).second);
  }
  return OkStatus();
}

}  // namespace swiftfs::core
