#include "core/object_heads.h"

#include <string>
#include <utility>

#include "core/attr_builder.h"

namespace swiftfs::core {

ObjectHeads::ObjectHeads(swift::ObjectClient& client, Clock& clock, Counters& counters,
                         const FsOptions& options)
    : client_(client),
      attr_ttl_(ToDuration(options.attr_timeout)),
      negative_ttl_(ToDuration(options.negative_timeout)),
      metadata_(clock, counters, options.max_cached_entries) {}

Result<std::shared_ptr<const swift::ObjectInfo>> ObjectHeads::Head(const Location& loc) {
  const std::string key = ObjectCacheKey(loc);
  if (auto hit = metadata_.Get(key)) {
    if (!hit->exists()) return MakeError(ErrorCode::kNotFound, "cached: no such object", 404, key);
    return hit->info;
  }
  auto info = client_.HeadObject(loc.container, loc.key);
  if (!info) {
    if (info.error().code == ErrorCode::kNotFound) metadata_.PutNegative(key, negative_ttl_);
    return std::move(info).error();
  }
  auto shared = std::make_shared<const swift::ObjectInfo>(std::move(*info));
  metadata_.PutObject(key, shared, attr_ttl_);
  return shared;
}

Result<swift::ContainerEntry> ObjectHeads::HeadContainer(const Location& loc) {
  auto container = client_.HeadContainer(loc.container);
  if (!container && container.error().code == ErrorCode::kNotFound) {
    metadata_.PutNegative(ObjectCacheKey(loc), negative_ttl_);
  }
  return container;
}

bool ObjectHeads::KnownMissing(const Location& loc) {
  auto hit = metadata_.Get(ObjectCacheKey(loc));
  return hit && !hit->exists();
}

void ObjectHeads::Forget(const Location& loc) { metadata_.Invalidate(ObjectCacheKey(loc)); }

}  // namespace swiftfs::core
