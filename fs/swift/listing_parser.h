#pragma once
// Parses Swift's JSON listings (format=json) and the /info document. nlohmann::json throws
// on malformed input; these functions are the boundary where that is caught, so callers
// only ever see a kBadResponse Error naming what was wrong.

#include <string_view>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

// A container listing page: [{"name", "bytes", "hash", "last_modified", "content_type",
// "symlink_path"?, "slo_etag"?}, {"subdir"}...]. "name" (or "subdir") is required; other
// fields default when absent. An empty body is an empty page. `target` names the container
// in messages.
//
// Etags: an SLO's entry gets its slo_etag, the ETag GET and If-Match use. A DLO manifest
// cannot be told from a plain empty object in a listing (0 bytes, the MD5 of nothing): its
// size and ETag must come from HEAD before it is read.
// `account` is the listed account (AccountOfStorageUrl): a symlink into another account
// gets symlink_target_account set.
Result<ListPage> ParseObjectListing(std::string_view body, std::string_view target,
                                    std::string_view account = {});

// An account listing page: [{"name", "count", "bytes", "last_modified"?}...].
Result<ContainerPage> ParseContainerListing(std::string_view body);

// The /info document: swift.container_listing_limit, swift.max_file_size and the "slo"
// section (max_manifest_segments, max_manifest_size, min_segment_size); fields it does not
// carry keep their defaults, and slo_enabled is false when there is no "slo" section.
// A field present with a value that is not a positive integer is kBadResponse.
Result<ClusterInfo> ParseClusterInfo(std::string_view body);

}  // namespace swiftfs::swift
