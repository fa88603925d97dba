#pragma once
// Which SLO segments belong to one file, so that deleting or replacing it may delete
// them too, and never a segment another manifest may still name.
//
// THE RULE (shared with the upload code that writes segments): swiftfs uploads the
// segments of `<container>/<object>` as
//     <container>_segments/<object>/swiftfs/<upload-id>/<index>
// and a manifest's segments are this file's own only when every one of them lies under
// `<container>_segments/<object>/swiftfs/` (SegmentPrefix). Segments uploaded by other
// tools (swift upload's `<container>_segments/<object>/<timestamp>/...`, rclone's) and a
// manifest copied from another name are never deleted with it: they may be shared.
// A file renamed through the mount keeps segments under its old name's prefix, so
// deleting it later leaves them to the orphan collector rather than risking a segment
// another manifest names.

#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// "<container>_segments/<object>/swiftfs/": the segment paths ("container/object", as in
// SloSegment::path) of the uploads of container/object start with it.
std::string SegmentPrefix(std::string_view container, std::string_view object);

// True when `segments` is non-empty and every segment is under SegmentPrefix.
bool AllOwnSegments(std::string_view container, std::string_view object,
                    const std::vector<swift::SloSegment>& segments);

}  // namespace swiftfs::core
