#pragma once
// ListingFetcher: turns a whole Swift listing (every page) into a DirectoryListing.
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
// Thread-safe: no state but the page limit, an atomic.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "swiftfs/cache/directory_cache.h"
#include "swiftfs/cache/directory_listing.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// Kind of an object given its content type, size and symlink target (listing or HEAD).
cache::EntryKind ClassifyObject(const swift::ObjectInfo& info);
// True for a 0-byte application/directory or application/x-directory object.
bool IsDirectoryMarker(const swift::ObjectInfo& info);

// The first entries of a directory's listing, fetched by a lookup's probe.
struct FirstPage {
  std::vector<swift::ListEntry> entries;
  bool complete = false;  // shorter than the limit: the whole listing
  std::chrono::steady_clock::time_point fetched_at;
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
  // The directory `prefix` ("" or ending in '/') of `container`. With `first` (a
  // FetchFirstPage of the same directory) the listing starts from it: no request at all
  // when it is complete, else pages continue after its last name. The listing is as old
  // as its first request.
  Result<cache::ListingPtr> ListDirectory(const std::string& container, const std::string& prefix,
                                          const FirstPage* first = nullptr);
  // The account's containers, as directories.
  Result<cache::ListingPtr> ListContainers();

 private:
  bool LastPage(size_t page_size) const;
  // Adds the entries of one listing page of `prefix` to `builder`.
  void AddPage(const std::string& prefix, const std::vector<swift::ListEntry>& page,
               cache::DirectoryListingBuilder& builder) const;

  swift::ObjectClient& client_;
  Clock& clock_;
  const bool until_empty_page_;
  const bool verify_zero_byte_objects_;
  std::atomic<uint32_t> page_limit_{10000};
};

}  // namespace swiftfs::core
