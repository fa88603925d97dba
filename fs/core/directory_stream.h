#pragma once
// DirectoryStream: what an open directory handle reads, the entries of one directory by
// stable index (0 is the listing's first entry; "." and ".." are the caller's business).
//
// A small directory is one chunk, the whole listing (shared with the DirectoryCache), and
// nothing is ever fetched again unless the caller restarts it. A huge one is a stream: the
// stream holds one chunk (the first is ListDirectoryUpTo's, then a page's worth each), the
// index of its first entry and the cursor to go on from. Reading past the chunk replaces
// it with the next one; an index before the chunk (seekdir, rewinddir) lists the directory
// again from the start and skips forward. Chunks are cut at fixed raw-entry counts
// (listing_fetcher.h), so while the directory is unchanged an index names the same entry
// after a restart; when it changed, a skip forward lands where the new listing puts it,
// as with any directory changed between telldir and seekdir.
//
// Memory: the chunk plus the cursor, about the first chunk's size (the stream threshold)
// plus a page, never the whole listing.
//
// Not thread-safe: the directory handle's mutex serialises its use, and a call may block
// on listing requests.

#include <cstdint>
#include <functional>
#include <optional>

#include "core/listing_fetcher.h"

namespace swiftfs::core {

class DirectoryStream {
 public:
  // Lists the directory from its beginning again, cutting the first chunk as the
  // original listing was cut.
  using ListFromStart = std::function<Result<ListingChunk>()>;

  // `first`: how the listing began (the whole listing when its `rest` is empty). Later
  // chunks take `next_chunk_entries` raw entries each (0: the fetcher's page limit).
  DirectoryStream(ListingFetcher& fetcher, ListingChunk first, ListFromStart restart,
                  size_t next_chunk_entries = 0);

  // The entry at `index`, or nullptr past the end of the listing. May list (forward from
  // the chunk, or from the start for an index before it). On an error the stream is as it
  // was, and asking again retries. The pointer is valid until the next call.
  Result<const ListingEntry*> At(uint64_t index);
  // Lists the directory again from its beginning.
  Status Restart();

  // The chunk holding the entry At returned last (its fetch time dates attributes).
  const DirectoryListing& chunk() const { return *chunk_; }
  uint64_t chunk_first() const { return chunk_first_; }
  // True when the listing is not held whole.
  bool streamed() const { return rest_.has_value() || chunk_first_ > 0; }
  // Listing entries held in memory: the chunk's, and the raw ones the cursor keeps.
  size_t held_entries() const;

 private:
  ListingFetcher& fetcher_;
  ListFromStart restart_;
  const size_t next_chunk_entries_;
  ListingPtr chunk_;
  uint64_t chunk_first_ = 0;
  std::optional<ListingCursor> rest_;  // empty: the listing ends with the chunk
};

}  // namespace swiftfs::core
