#pragma once
// Orphaned segments: what a crash (kill -9, a lost connection, a full disk) leaves of an
// upload that never committed. Segments live in `<container>_segments` under
// `<object>/swiftfs/<upload-id>/` (segment_names.h), so they can be found by name; an
// upload is an orphan when no manifest names any of its segments.
//
// CollectOrphanSegments lists the segment container, groups swiftfs segments by upload,
// and keeps an upload when
//   - the current manifest of `<object>` names one of its segments, or
//   - any SLO manifest of `container` does (a rename copies a manifest to another name:
//     the segments then carry the old name), or
//   - its newest segment is younger than `min_age` (an upload still in flight on this
//     or another mount; pick an age well above the longest upload, e.g. a day);
// every other one is deleted (unless dry_run). Segments of other tools are never touched.
// Manifests in other containers that reference these segments (a rename across
// containers) are not seen: pass those containers in `also_check`.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

struct OrphanReport {
  uint64_t uploads_seen = 0;      // swiftfs uploads found in the segment container
  uint64_t uploads_kept = 0;      // referenced, or too young
  uint64_t uploads_removed = 0;   // orphans (deleted, or would be with dry_run)
  uint64_t segments_removed = 0;  // their segments
  uint64_t bytes_removed = 0;
};

struct OrphanOptions {
  std::chrono::seconds min_age{24 * 3600};
  bool dry_run = false;
  std::vector<std::string> also_check;  // more containers whose manifests may reference
};

// kNotFound is not an error: no segment container means nothing to collect.
Result<OrphanReport> CollectOrphanSegments(swift::ObjectClient& client,
                                           const std::string& container, swift::WallTime now,
                                           const OrphanOptions& options, Logger& logger);

}  // namespace swiftfs::core
