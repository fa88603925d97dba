#include "core/name_mapping.h"

namespace swiftfs::core {

bool IsRepresentableComponent(std::string_view component) {
  return !component.empty() && component != "." && component != ".." &&
         component.size() <= kMaxNameLength &&
         component.find_first_of(std::string_view("/\0", 2)) == std::string_view::npos;
}

Status ValidateLookupName(std::string_view name) {
  if (name.size() > kMaxNameLength) {
    return MakeError(ErrorCode::kNameTooLong, "name longer than 255 bytes");
  }
  if (name.empty() || name.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "not a single path component");
  }
  if (name == "." || name == "..") return MakeError(ErrorCode::kNotFound, "dot entry");
  return OkStatus();
}

std::string_view ChildComponent(std::string_view dir_prefix, std::string_view full_name) {
  if (full_name.size() <= dir_prefix.size() ||
      full_name.substr(0, dir_prefix.size()) != dir_prefix) {
    return {};
  }
  std::string_view rest = full_name.substr(dir_prefix.size());
  if (rest.back() == '/') rest.remove_suffix(1);  // a subdir entry, or "x/" marker object
  if (!IsRepresentableComponent(rest)) return {};
  return rest;
}

}  // namespace swiftfs::core
