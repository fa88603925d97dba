#pragma once
// ListingOrder: a directory's entries in the order its listing gave them, as the core sees
// them, so that the cache layer can recognise opens that walk a directory (rsync -a, cp -r,
// tar c, find -exec cat read one file after another in listing order) and fetch the next
// files ahead of the reader. The core implements it over its own listing snapshot, with no
// copy; the cache layer holds a position only for the duration of one open.
//
// A ListedPosition is what the core knows at open(): which listing the file was found in
// and where. The FileReaderFactory decides whether opens form a walk (file_reader.h).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "swiftfs/cache/file_reader.h"

namespace swiftfs::cache {

class ListingOrder {
 public:
  struct Entry {
    // A regular file with content a walker reads: more than 0 bytes, size known (not a
    // possible DLO manifest). Directories, symlinks and empty files are false: a walker
    // may pass them without an open (tar does not open empty files).
    bool content = false;
    ObjectVersion version;  // when `content`: what an open of it would pin
  };

  virtual ~ListingOrder() = default;
  // Names the directory across listings of it ("container/prefix").
  virtual const std::string& directory() const = 0;
  virtual size_t size() const = 0;
  // Entry `index` (< size()).
  virtual Entry At(size_t index) const = 0;
  // The index of the entry whose object name is `object_name`, if listed.
  virtual std::optional<size_t> IndexOf(std::string_view object_name) const = 0;
};

struct ListedPosition {
  std::shared_ptr<const ListingOrder> order;
  size_t index = 0;  // of the opened file in `order`
};

}  // namespace swiftfs::cache
