#include "core/location.h"

namespace swiftfs::core {

Location ChildLocation(const Location& dir, std::string_view name, EntryKind kind) {
  Location child;
  child.kind = kind;
  if (IsAccountRoot(dir)) {
    child.container = std::string(name);
    return child;
  }
  child.container = dir.container;
  child.key = dir.key;
  child.key += name;
  if (kind == EntryKind::kDirectory) child.key += '/';
  return child;
}

std::pair<std::string, std::string_view> ParentPrefix(const Location& loc) {
  std::string_view key = loc.key;
  if (!key.empty() && key.back() == '/') key.remove_suffix(1);
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return {std::string(), key};
  return {std::string(key.substr(0, slash + 1)), key.substr(slash + 1)};
}

std::string DirCacheKey(const std::string& container, const std::string& prefix) {
  return container.empty() ? std::string() : container + "/" + prefix;
}

std::string ObjectCacheKey(const Location& loc) { return loc.container + "/" + loc.key; }

}  // namespace swiftfs::core
