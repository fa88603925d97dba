#include "core/xattrs.h"

namespace swiftfs::core {

namespace {
constexpr std::string_view kXattrPrefix = "user.swift.";
constexpr std::string_view kMetaPrefix = "user.swift.meta.";
}  // namespace

bool IsUserXattr(std::string_view name) { return name.substr(0, 5) == "user."; }

bool IsSwiftXattr(std::string_view name) {
  return name.substr(0, kXattrPrefix.size()) == kXattrPrefix;
}

std::vector<std::string> XattrNames(const swift::ObjectInfo& object) {
  std::vector<std::string> names;
  if (!object.etag.empty()) names.push_back(std::string(kXattrPrefix) + "etag");
  if (!object.content_type.empty()) names.push_back(std::string(kXattrPrefix) + "content_type");
  if (!object.timestamp.empty()) names.push_back(std::string(kXattrPrefix) + "timestamp");
  for (const auto& [meta, value] : object.metadata) {
    names.push_back(std::string(kMetaPrefix) + meta);
  }
  return names;
}

Result<std::string> XattrValue(const swift::ObjectInfo& object, std::string_view name) {
  const Error no_data = MakeError(ErrorCode::kNoData, "no such attribute", 0, std::string(name));
  if (!IsSwiftXattr(name)) return no_data;
  const std::string_view field = name.substr(kXattrPrefix.size());
  std::string value;
  if (field == "etag") {
    value = object.etag;
  } else if (field == "content_type") {
    value = object.content_type;
  } else if (field == "timestamp") {
    value = object.timestamp;
  } else if (name.substr(0, kMetaPrefix.size()) == kMetaPrefix) {
    auto it = object.metadata.find(std::string(name.substr(kMetaPrefix.size())));
    if (it == object.metadata.end()) return no_data;
    return it->second;
  }
  if (value.empty()) return no_data;
  return value;
}

}  // namespace swiftfs::core
