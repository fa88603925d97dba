#pragma once
// Where an opened file stands in its directory's listing, for the reader factory's
// read-ahead across files (swiftfs/cache/listing_order.h): the core's fresh listing
// snapshot seen through the cache layer's ListingOrder, with no copy of its entries.
// Only a fresh listing counts: a file found any other way opens as before.

#include <optional>

#include "core/directory_state.h"
#include "core/location.h"
#include "swiftfs/cache/listing_order.h"

namespace swiftfs::core {

// The position of the file at `file` in the fresh listing of its directory, or nullopt
// (no fresh listing, or the name is not in it). No request.
std::optional<cache::ListedPosition> ListedPositionOf(DirectoryState& dirs, const Location& file);

}  // namespace swiftfs::core
