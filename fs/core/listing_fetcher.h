#pragma once
// ListingFetcher: turns a Swift listing (every page) into a DirectoryListing, whole or in
// chunks.
//
// Pagination follows Swift's rule: a page shorter than the limit (the cluster's
// container_listing_limit) is the last one, so 25,000 objects cost exactly three
// requests; with `until_empty_page` (for servers that return short pages early, such as
// Ceph RGW) listing stops only at an empty page. Each next page starts after the previous
// page's last name (a subdir's name skips everything under it, as Swift defines).
//
// Merging: subdir entries and directory markers (0-byte objects of type
// application/directory or application/x-directory; objects whose name ends in '/' come
// as subdirs) are directories; an object and a pseudo-directory of the same name make one
// directory; symlinks (application/symlink or a symlink target) are symlinks; names that
// are not representable (name_mapping.h) are skipped.
//
// First pages: a lookup that must tell whether `name` is a pseudo-directory asks for the
// first page of `name/` (FetchFirstPage, a small limit). That page is not thrown away: a
// later ListDirectory continues after it, and when it was short it is the whole listing.
// So `ls -l dir` after the lookup of `dir` costs no request more than the listing itself,
// and a directory whose entry count is a multiple of the limit (10,000 exactly) no longer
// needs the trailing empty page.
//
// Name probes: a lookup without its directory's listing must learn whether `name` is a
// pseudo-directory (anything under `name/`) and, if not, a file's attributes. ProbeName
// asks one flat listing for the names from `name` up to `name0` (end_marker; '0' is the
// byte after '/'): the object `name` itself comes first, then the rare names continuing
// with a byte below '/' (`name-1`, `name.bak`), then everything under `name/`. So one
// request tells the kind, a file's listing attributes (no HEAD), and a directory's first
// entries (folded at '/' as a delimiter listing of `name/` would show them, so the listing
// that follows continues after them exactly as after FetchFirstPage). Only when the names
// between `name` and `name/` fill the page is `name/` probed with a second request.
//
// Chunks: a huge directory is read as a sequence of chunks (ListDirectoryUpTo, then
// NextChunk), each a DirectoryListing of the next N raw listing entries, so a reader holds
// one chunk and a cursor instead of the whole listing. Where a chunk ends is counted in raw
// entries from the start of the listing, never decided by where pages end, so listing again
// (with or without a lookup's first page) cuts the same chunks and a stream index names the
// same entry while the directory is unchanged.
// The one merge that can straddle a cut: with a delimiter listing the object `x` and the
// subdir `x/` may be separated by names that sort between them (`x-1`, `x.txt`: a byte
// below '/' after `x`), in the same page or the next. A chunk therefore holds back every
// object whose `name/` could still come after the chunk's last raw name (that name starts
// with the object's and continues with a byte below '/', or equals it) and hands it to the
// next chunk, where it merges with its subdir or stands alone once the listing has passed
// `name/`. Held-back objects are prefixes of one name, so there are at most as many as that
// name has bytes (Swift caps names at 1,024): no cap is needed, and no name is ever
// emitted twice. Across chunks the entries are not in one sorted order (`x-1` may come
// before a held-back `x`); each chunk is sorted.
//
// Thread-safe: no state but the page limit, an atomic. A ListingCursor is a plain value.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/directory_cache.h"
#include "core/directory_listing.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// Kind of an object given its content type, size and symlink target (listing or HEAD).
EntryKind ClassifyObject(const swift::ObjectInfo& info);
// True for a 0-byte application/directory or application/x-directory object.
bool IsDirectoryMarker(const swift::ObjectInfo& info);

// The first entries of a directory's listing, fetched by a lookup's probe.
struct FirstPage {
  std::vector<swift::ListEntry> entries;
  bool complete = false;  // shorter than the limit: the whole listing
  std::chrono::steady_clock::time_point fetched_at;
};

// What ProbeName learned about one name of a directory.
struct NameProbe {
  // A listing of the directory holding only `name` as the directory's listing would show
  // it (a directory when anything lies under `name/`), or no entry when it does not exist.
  // As old as the first request.
  ListingPtr found;
  // When `name` is a pseudo-directory: the first entries of its own listing.
  std::optional<FirstPage> children;
};

// Where a listing read in chunks goes on. A plain value: a directory handle keeps one
// between readdirs, and a failed NextChunk leaves the caller's copy as it was.
struct ListingCursor {
  std::string container;
  std::string prefix;
  std::string marker;       // the next page starts after this name
  bool pages_done = false;  // the last page has been fetched
  // Objects whose `name/` subdir may still follow (see above); not counted in a chunk.
  std::vector<swift::ListEntry> held_back;
  // Raw entries fetched past the previous chunk's end (less than a page).
  std::vector<swift::ListEntry> fetched;
  // Oldest request whose entries are still in `held_back` or `fetched`.
  std::chrono::steady_clock::time_point since;
};

// A piece of a directory's listing: the whole of it when `rest` is empty.
struct ListingChunk {
  ListingPtr listing;  // sorted and unique within the chunk; as old as its oldest entry
  std::optional<ListingCursor> rest;  // where the listing goes on
};

class ListingFetcher {
 public:
  // `verify_zero_byte_objects`: mark 0-byte objects size_unverified (possible DLOs).
  ListingFetcher(swift::ObjectClient& client, Clock& clock, bool until_empty_page,
                 bool verify_zero_byte_objects = true);

  // Entries per listing request (from the cluster's /info); 0 is taken as 10,000.
  void set_page_limit(uint32_t limit);
  uint32_t page_limit() const { return page_limit_.load(); }

  // Up to `limit` first entries of the directory `prefix` of `container` (one request).
  Result<FirstPage> FetchFirstPage(const std::string& container, const std::string& prefix,
                                   uint32_t limit);
  // `name` in the directory `prefix` of `container` (see "Name probes"): one request,
  // or two when the names between `name` and `name/` reach `limit`.
  Result<NameProbe> ProbeName(const std::string& container, const std::string& prefix,
                              std::string_view name, uint32_t limit);
  // The directory `prefix` ("" or ending in '/') of `container`. With `first` (a
  // FetchFirstPage of the same directory) the listing starts from it: no request at all
  // when it is complete, else pages continue after its last name. The listing is as old
  // as its first request.
  Result<ListingPtr> ListDirectory(const std::string& container, const std::string& prefix,
                                   const FirstPage* first = nullptr);
  // Like ListDirectory while the directory has at most `max_entries` raw entries (the
  // whole listing, `rest` empty). Beyond that, the first chunk: the first `max_entries`
  // raw entries (less objects held back) and where to go on. Asks for pages only until it
  // knows which case it is, so a huge directory costs max_entries / page limit requests.
  Result<ListingChunk> ListDirectoryUpTo(const std::string& container, const std::string& prefix,
                                         const FirstPage* first, size_t max_entries);
  // The chunk after `from`: its next `max_entries` raw entries (at least 1), or the rest
  // of the listing when that is no more. Errors leave nothing changed (`from` is a copy).
  Result<ListingChunk> NextChunk(ListingCursor from, size_t max_entries);
  // The account's containers, as directories.
  Result<ListingPtr> ListContainers();

 private:
  bool LastPage(size_t page_size) const;
  // Adds one raw listing entry of the directory `prefix` to `builder` (or nothing, for the
  // directory's own marker and unrepresentable names).
  void AddEntry(const std::string& prefix, const swift::ListEntry& item,
                DirectoryListingBuilder& builder) const;
  // The page after `cursor.marker`; advances the marker, or sets pages_done on the last.
  Result<std::vector<swift::ListEntry>> FetchPage(ListingCursor& cursor);

  swift::ObjectClient& client_;
  Clock& clock_;
  const bool until_empty_page_;
  const bool verify_zero_byte_objects_;
  std::atomic<uint32_t> page_limit_{10000};
};

}  // namespace swiftfs::core
