#pragma once
// The JSON documents of Swift's write API: the SLO manifest sent with
// ?multipart-manifest=put, the manifest read back with ?multipart-manifest=get&format=raw,
// and the bulk-style reply (Accept: application/json) that a heartbeat manifest PUT and a
// ?multipart-manifest=delete answer with. Like listing_parser.h, this is where
// nlohmann::json's exceptions stop: callers see a Result.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::swift {

// [{"path": "/container/object", "etag": "...", "size_bytes": N, "range": "first-last"}...]
// Paths are sent unencoded (Swift quotes them itself); an empty etag is sent as null (not
// checked). kInvalidArgument for a path that is not "container/object" or not UTF-8.
Result<std::string> ManifestJson(const std::vector<SloSegment>& segments);

// The raw manifest: the same fields, paths with a leading slash. `target` names the object.
Result<std::vector<SloSegment>> ParseManifest(std::string_view body, std::string_view target);

// What a bulk-style reply says: Swift sends 200/202 at once (to keep the connection alive)
// and the real outcome in the body.
struct BulkReply {
  int status = 0;           // of "Response Status": "201 Created" -> 201
  std::string status_line;  // "201 Created"
  std::string response_body;
  std::vector<std::pair<std::string, std::string>> errors;  // [path, reason]
  std::string etag;                                         // manifest PUT: "Etag", unquoted
  std::optional<WallTime> last_modified;                    // manifest PUT: "Last Modified"
  uint64_t number_deleted = 0;                              // DELETE
  uint64_t number_not_found = 0;                            // DELETE
};
Result<BulkReply> ParseBulkReply(std::string_view body, std::string_view target);

// "path, reason; path, reason" of a reply's errors (paths decoded: Swift sends them
// percent-encoded), at most five, for messages.
std::string DescribeErrors(const BulkReply& reply);

}  // namespace swiftfs::swift
