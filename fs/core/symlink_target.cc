#include "core/symlink_target.h"

#include <vector>

#include "core/name_mapping.h"

namespace swiftfs::core {

namespace {

// Appends the components of `path` to `out`; false when one is not representable (the
// path cannot exist inside the mount).
bool SplitPath(std::string_view path, std::vector<std::string_view>& out) {
  while (true) {
    const size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!IsRepresentableComponent(part)) return false;
    out.push_back(part);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool StartsWith(const std::vector<std::string_view>& path,
                const std::vector<std::string_view>& head) {
  if (path.size() < head.size()) return false;
  for (size_t i = 0; i < head.size(); ++i) {
    if (path[i] != head[i]) return false;
  }
  return true;
}

}  // namespace

std::string MakeLinkTarget(const MountRoot& root, std::string_view link_container,
                           std::string_view link_key, std::string_view target,
                           bool foreign_account) {
  std::string absolute = "/" + std::string(target);  // not const: returned by move
  std::vector<std::string_view> root_path, link_dir, target_path;
  if (!root.container.empty()) root_path.push_back(root.container);
  std::string_view prefix = root.prefix;
  if (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!prefix.empty() && !SplitPath(prefix, root_path)) return absolute;

  std::string link_path = std::string(link_container) + "/" + std::string(link_key);
  if (foreign_account || !SplitPath(link_path, link_dir) || !SplitPath(target, target_path)) {
    return absolute;
  }
  link_dir.pop_back();  // the link's own name
  if (!StartsWith(target_path, root_path) || target_path.size() == root_path.size() ||
      !StartsWith(link_dir, root_path)) {
    return absolute;
  }
  size_t common = 0;
  while (common < link_dir.size() && common + 1 < target_path.size() &&
         link_dir[common] == target_path[common]) {
    ++common;
  }
  std::string relative;
  for (size_t i = common; i < link_dir.size(); ++i) relative += "../";
  for (size_t i = common; i < target_path.size(); ++i) {
    relative += target_path[i];
    if (i + 1 < target_path.size()) relative += '/';
  }
  return relative;
}

}  // namespace swiftfs::core
