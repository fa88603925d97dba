#pragma once
// ObjectHeads: HEAD requests through the MetadataCache, so that a file's HEAD (its
// attributes, xattrs, a symlink's target, whether a name exists at all) is asked once per
// attr_timeout, and a 404 once per negative_timeout.
//
// Design: the cache is a leaf (its own mutex, never held across the request); two
// concurrent misses of one name may both HEAD (rare, and harmless: the answers agree or
// the later one wins). Later, writes invalidate here what they changed (a PUT makes the
// cached 404 and the old attributes wrong).
//
// Thread-safe, no lock of its own.

#include <memory>

#include "core/location.h"
#include "swiftfs/cache/metadata_cache.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/result.h"
#include "swiftfs/core/filesystem.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

class ObjectHeads {
 public:
  // References must outlive the ObjectHeads.
  ObjectHeads(swift::ObjectClient& client, Clock& clock, Counters& counters,
              const FsOptions& options);

  // HEAD of the object at `loc`; kNotFound is remembered as a negative entry.
  Result<std::shared_ptr<const swift::ObjectInfo>> Head(const Location& loc);
  // HEAD of the container `loc` names (a child of the account root); kNotFound is
  // remembered as a negative entry.
  Result<swift::ContainerEntry> HeadContainer(const Location& loc);
  // True while `loc` is remembered as not existing.
  bool KnownMissing(const Location& loc);
  // Forgets what is cached of `loc` (a commit or a POST changed it).
  void Forget(const Location& loc);

 private:
  swift::ObjectClient& client_;
  const cache::MetadataCache::Duration attr_ttl_;
  const cache::MetadataCache::Duration negative_ttl_;
  cache::MetadataCache metadata_;
};

}  // namespace swiftfs::core
