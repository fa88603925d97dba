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

std::string OutsideLinkTarget(std::string_view target, bool foreign_account) {
  std::string out = foreign_account ? "swift:other-account/" : "swift:/";
  // Escape what could make the text climb ("." and ".." components) or be cut short
  // (NUL: fuse_reply_readlink takes a C string); '%' too, so the escapes are unambiguous.
  while (true) {
    const size_t slash = target.find('/');
    const std::string_view part = target.substr(0, slash);
    if (part == "." || part == "..") {
      for (size_t i = 0; i < part.size(); ++i) out += "%2E";
    } else {
      for (const char c : part) {
        if (c == '%') {
          out += "%25";
        } else if (c == '\0') {
          out += "%00";
        } else {
          out += c;
        }
      }
    }
    if (slash == std::string_view::npos) return out;
    out += '/';
    target.remove_prefix(slash + 1);
  }
}

std::string MakeLinkTarget(const MountRoot& root, std::string_view link_container,
                           std::string_view link_key, std::string_view target,
                           bool foreign_account) {
  std::string outside = OutsideLinkTarget(target, foreign_account);  // not const: moved out
  std::vector<std::string_view> root_path, link_dir, target_path;
  if (!root.container.empty()) root_path.push_back(root.container);
  std::string_view prefix = root.prefix;
  if (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!prefix.empty() && !SplitPath(prefix, root_path)) return outside;

  std::string link_path = std::string(link_container) + "/" + std::string(link_key);
  if (foreign_account || !SplitPath(link_path, link_dir) || !SplitPath(target, target_path)) {
    return outside;
  }
  link_dir.pop_back();  // the link's own name
  if (!StartsWith(target_path, root_path) || target_path.size() == root_path.size() ||
      !StartsWith(link_dir, root_path)) {
    return outside;
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
