#include "core/own_segments.h"

namespace swiftfs::core {

std::string SegmentPrefix(std::string_view container, std::string_view object) {
  std::string prefix(container);
  prefix += "_segments/";
  prefix += object;
  prefix += "/swiftfs/";
  return prefix;
}

bool AllOwnSegments(std::string_view container, std::string_view object,
                    const std::vector<swift::SloSegment>& segments) {
  if (segments.empty()) return false;
  const std::string prefix = SegmentPrefix(container, object);
  for (const swift::SloSegment& segment : segments) {
    std::string_view path = segment.path;
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);  // "/c/o" as Swift lists
    if (!path.starts_with(prefix) || path.size() == prefix.size()) return false;
  }
  return true;
}

}  // namespace swiftfs::core
