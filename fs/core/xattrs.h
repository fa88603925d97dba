#pragma once
// Extended attributes of a file, read-only views of its HEAD: user.swift.etag,
// user.swift.content_type, user.swift.timestamp and user.swift.meta.<name> for each
// X-Object-Meta-<name>. Containers and pseudo-directories have no object to describe, so
// the coordinator offers xattrs on files only. Pure functions: no state, no request.
//
// Later, writes set user.swift.meta.* through PostMetadata; the name mapping stays here.

#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// True for names in the user.* namespace (the only one this filesystem has).
bool IsUserXattr(std::string_view name);
// False for names that can never be ours (answered kNoData without a HEAD).
bool IsSwiftXattr(std::string_view name);
// The names present on `object`.
std::vector<std::string> XattrNames(const swift::ObjectInfo& object);
// The value of `name` on `object`; kNoData when absent or empty.
Result<std::string> XattrValue(const swift::ObjectInfo& object, std::string_view name);

}  // namespace swiftfs::core
