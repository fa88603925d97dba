#include "core/listing_fetcher.h"

#include <algorithm>

#include "core/name_mapping.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::core {

namespace {

// "application/directory; charset=utf-8" -> "application/directory"
std::string_view MediaType(std::string_view content_type) {
  return TrimWhitespace(content_type.substr(0, content_type.find(';')));
}

Error NoProgress(const std::string& what, const std::string& marker) {
  return MakeError(ErrorCode::kBadResponse, "listing of " + what +
                                                " did not advance past marker '" + marker +
                                                "' (does a proxy drop the marker parameter?)");
}

}  // namespace

bool IsDirectoryMarker(const swift::ObjectInfo& info) {
  if (info.size != 0) return false;
  const std::string_view type = MediaType(info.content_type);
  return EqualsIgnoreCase(type, "application/directory") ||
         EqualsIgnoreCase(type, "application/x-directory");
}

cache::EntryKind ClassifyObject(const swift::ObjectInfo& info) {
  if (info.symlink_target ||
      EqualsIgnoreCase(MediaType(info.content_type), "application/symlink")) {
    return cache::EntryKind::kSymlink;
  }
  if (IsDirectoryMarker(info)) return cache::EntryKind::kDirectory;
  return cache::EntryKind::kFile;
}

ListingFetcher::ListingFetcher(swift::ObjectClient& client, Clock& clock, bool until_empty_page,
                               bool verify_zero_byte_objects)
    : client_(client),
      clock_(clock),
      until_empty_page_(until_empty_page),
      verify_zero_byte_objects_(verify_zero_byte_objects) {}

void ListingFetcher::set_page_limit(uint32_t limit) {
  page_limit_.store(limit == 0 ? 10000 : limit);
}

bool ListingFetcher::LastPage(size_t page_size) const {
  return until_empty_page_ ? page_size == 0 : page_size < page_limit_.load();
}

Result<FirstPage> ListingFetcher::FetchFirstPage(const std::string& container,
                                                 const std::string& prefix, uint32_t limit) {
  FirstPage first;
  first.fetched_at = clock_.Monotonic();
  swift::ListRequest request;
  request.container = container;
  request.prefix = prefix;
  request.delimiter = '/';
  request.limit = std::min(limit, page_limit_.load());
  auto page = client_.ListObjects(request);
  if (!page) return std::move(page).error();
  first.entries = std::move(page->entries);
  first.complete = until_empty_page_ ? first.entries.empty() : first.entries.size() < request.limit;
  return first;
}

Result<cache::ListingPtr> ListingFetcher::ListDirectory(const std::string& container,
                                                        const std::string& prefix,
                                                        const FirstPage* first) {
  const auto started = first ? first->fetched_at : clock_.Monotonic();
  cache::DirectoryListingBuilder builder;
  swift::ListRequest request;
  request.container = container;
  request.prefix = prefix;
  request.delimiter = '/';
  request.limit = page_limit_.load();
  if (first) {
    AddPage(prefix, first->entries, builder);
    if (first->complete || first->entries.empty()) return std::move(builder).Build(started);
    request.marker = first->entries.back().name;
  }
  while (true) {
    auto page = client_.ListObjects(request);
    if (!page) return std::move(page).error();
    AddPage(prefix, page->entries, builder);
    if (LastPage(page->entries.size())) break;
    // Names come sorted, each page after its marker: a page that does not end past the
    // marker (a server or proxy ignoring it) would be asked for again forever.
    if (!request.marker.empty() && page->entries.back().name <= request.marker) {
      return NoProgress(container + "/" + prefix, request.marker);
    }
    request.marker = page->entries.back().name;
  }
  return std::move(builder).Build(started);
}

void ListingFetcher::AddPage(const std::string& prefix, const std::vector<swift::ListEntry>& page,
                             cache::DirectoryListingBuilder& builder) const {
  for (const swift::ListEntry& item : page) {
    const std::string_view name = ChildComponent(prefix, item.name);
    if (name.empty()) continue;
    cache::ListingEntry entry;
    entry.name = std::string(name);
    if (item.kind == swift::ListEntry::Kind::kSubdir || item.name.back() == '/') {
      entry.kind = cache::EntryKind::kDirectory;
      builder.Add(std::move(entry), "");
      continue;
    }
    const swift::ObjectInfo& info = item.info;
    entry.kind = ClassifyObject(info);
    entry.mtime = info.last_modified;
    if (entry.kind == cache::EntryKind::kFile) {
      entry.size = info.size;
      entry.etag = info.etag;
      // DLO manifests list as 0 bytes.
      entry.size_unverified = verify_zero_byte_objects_ && info.size == 0;
    } else if (entry.kind == cache::EntryKind::kSymlink) {
      entry.symlink_target = info.symlink_target.value_or("");
    }
    builder.Add(std::move(entry), info.content_type);
  }
}

Result<cache::ListingPtr> ListingFetcher::ListContainers() {
  const auto started = clock_.Monotonic();
  cache::DirectoryListingBuilder builder;
  std::string marker;
  while (true) {
    auto page = client_.ListContainers(marker, page_limit_.load());
    if (!page) return std::move(page).error();
    for (const swift::ContainerEntry& container : page->containers) {
      if (!IsRepresentableComponent(container.name)) continue;
      cache::ListingEntry entry;
      entry.name = container.name;
      entry.kind = cache::EntryKind::kDirectory;
      if (container.last_modified) entry.mtime = *container.last_modified;
      builder.Add(std::move(entry), "");
    }
    if (LastPage(page->containers.size())) break;
    if (!marker.empty() && page->containers.back().name <= marker) {
      return NoProgress("the account", marker);
    }
    marker = page->containers.back().name;
  }
  return std::move(builder).Build(started);
}

}  // namespace swiftfs::core
