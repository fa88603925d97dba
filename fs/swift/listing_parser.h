#pragma once
// Parses Swift's JSON listings (format=json) and the /info document. nlohmann::json throws
// on malformed input; these functions are the boundary where that is caught, so callers
// only ever see a kBadResponse Error naming what was wrong.

#include <string_view>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

// A container listing page: [{"name", "bytes", "hash", "last_modified", "content_type",
// "symlink_path"?}, {"subdir"}...]. "name" (or "subdir") is required; other fields default
// when absent. An empty body is an empty page. `target` names the container in messages.
Result<ListPage> ParseObjectListing(std::string_view body, std::string_view target);

// An account listing page: [{"name", "count", "bytes", "last_modified"?}...].
Result<ContainerPage> ParseContainerListing(std::string_view body);

// The /info document; fields it does not carry keep their defaults.
Result<ClusterInfo> ParseClusterInfo(std::string_view body);

}  // namespace swiftfs::swift
