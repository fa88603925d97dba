// Fuzzes MakeLinkTarget's guarantee (symlink_target.h): whatever Swift's target and the
// mount root, the readlink text is relative and never climbs above the mount root, so a
// link can never lead out of the mount. Input: four fields separated by '\n' (root prefix,
// link key, target, and a flags byte).
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/symlink_target.h"

namespace {

// Depth of `dir` below the mount root as the kernel walks `text` from it: aborts when it
// would go above the root (more ".." than levels) or the text is absolute.
void CheckStaysInside(std::string_view text, long depth) {
  if (text.empty() || text.front() == '/') std::abort();
  for (;;) {
    const size_t slash = text.find('/');
    const std::string_view part = text.substr(0, slash);
    if (part == "..") {
      if (--depth < 0) std::abort();
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    if (slash == std::string_view::npos) return;
    text.remove_prefix(slash + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using swiftfs::core::MountRoot;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> fields;
  for (int i = 0; i < 3; ++i) {
    const size_t nl = in.find('\n');
    if (nl == std::string_view::npos) return 0;
    fields.push_back(in.substr(0, nl));
    in.remove_prefix(nl + 1);
  }
  const bool account_root = !in.empty() && (in.front() & 1);
  const bool foreign = !in.empty() && (in.front() & 2);
  // The link itself is visible in the mount: its key lies under the prefix and every
  // component of it is a plain name (the mount shows no other), so its depth is known.
  std::string prefix(fields[0]);
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  const std::string key = prefix + std::string(fields[1]);
  long depth = account_root ? 1 : 0;
  for (std::string_view rest = fields[1];;) {
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos) break;
    const std::string_view part = rest.substr(0, slash);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != part.npos) return 0;
    ++depth;
    rest.remove_prefix(slash + 1);
  }
  const MountRoot root{account_root ? "" : "c", account_root ? "" : prefix};
  CheckStaysInside(
      swiftfs::core::MakeLinkTarget(root, "c", account_root ? fields[1] : key, fields[2], foreign),
      depth);
  return 0;
}
