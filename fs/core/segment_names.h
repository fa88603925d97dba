#pragma once
// How swiftfs names the segments of its large objects, and how it recognises them.
//
//   <container>_segments / <object>/swiftfs/<upload-id>/<8-digit index>
//
// The container is the one `swift upload` and rclone use; the "swiftfs/<upload-id>" part
// says that swiftfs wrote the segment, for one commit attempt (upload id) of `<object>`.
// THE DELETION RULE: swiftfs deletes a segment only when (1) its name carries this
// marker, and (2) after an overwrite, it belongs to the manifest this mount just replaced
// and carries the overwritten object's own name, or, for the orphan collector
// (orphan_segments.h), no manifest of the container names it and it is older than the
// collector's minimum age. A rename copies a manifest to a new name (segments then shared,
// still named after the old object): rule (2) never deletes those when the new name is
// overwritten (the names differ), and the collector keeps them because the renamed
// manifest references them. Segments of other tools (no marker) are never touched.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace swiftfs::core {

inline std::string SegmentContainer(const std::string& container) {
  return container + "_segments";
}
inline constexpr std::string_view kSegmentMarker = "/swiftfs/";

inline std::string SegmentPrefix(const std::string& object, const std::string& upload_id) {
  return object + std::string(kSegmentMarker) + upload_id + "/";
}

std::string SegmentName(const std::string& prefix, uint32_t index);

// A segment name split into its object and upload prefix, when it follows the convention.
struct ParsedSegment {
  std::string object;
  std::string prefix;  // "<object>/swiftfs/<upload-id>/"
};
std::optional<ParsedSegment> ParseSegmentName(std::string_view name);

}  // namespace swiftfs::core
