#include "core/listing_fetcher.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

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

// True while the subdir `object/` may still come after `last` in a delimiter listing:
// the names between `object` and `object/` are those that start with `object` and go on
// with a byte below '/' (as Swift compares them, unsigned).
bool SubdirMayFollow(std::string_view object, std::string_view last) {
  if (!last.starts_with(object)) return false;
  return last.size() == object.size() || static_cast<unsigned char>(last[object.size()]) < '/';
}

}  // namespace

bool IsDirectoryMarker(const swift::ObjectInfo& info) {
  if (info.size != 0) return false;
  const std::string_view type = MediaType(info.content_type);
  return EqualsIgnoreCase(type, "application/directory") ||
         EqualsIgnoreCase(type, "application/x-directory");
}

EntryKind ClassifyObject(const swift::ObjectInfo& info) {
  if (info.symlink_target ||
      EqualsIgnoreCase(MediaType(info.content_type), "application/symlink")) {
    return EntryKind::kSymlink;
  }
  if (IsDirectoryMarker(info)) return EntryKind::kDirectory;
  return EntryKind::kFile;
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

Result<ListingPtr> ListingFetcher::ListDirectory(const std::string& container,
                                                 const std::string& prefix,
                                                 const FirstPage* first) {
  auto whole = ListDirectoryUpTo(container, prefix, first, SIZE_MAX);
  if (!whole) return std::move(whole).error();
  return std::move(whole->listing);
}

Result<ListingChunk> ListingFetcher::ListDirectoryUpTo(const std::string& container,
                                                       const std::string& prefix,
                                                       const FirstPage* first, size_t max_entries) {
  ListingCursor start;
  start.container = container;
  start.prefix = prefix;
  start.since = clock_.Monotonic();
  if (first) {
    // The listing goes on after the first page, and is as old as it.
    start.fetched = first->entries;
    start.since = first->fetched_at;
    start.pages_done = first->complete || first->entries.empty();
    if (!start.pages_done) start.marker = first->entries.back().name;
  }
  return NextChunk(std::move(start), max_entries);
}

Result<std::vector<swift::ListEntry>> ListingFetcher::FetchPage(ListingCursor& cursor) {
  swift::ListRequest request;
  request.container = cursor.container;
  request.prefix = cursor.prefix;
  request.delimiter = '/';
  request.limit = page_limit_.load();
  request.marker = cursor.marker;
  auto page = client_.ListObjects(request);
  if (!page) return std::move(page).error();
  if (LastPage(page->entries.size())) {
    cursor.pages_done = true;
  } else {
    // Names come sorted, each page after its marker: a page that does not end past the
    // marker (a server or proxy ignoring it) would be asked for again forever.
    if (!cursor.marker.empty() && page->entries.back().name <= cursor.marker) {
      return NoProgress(cursor.container + "/" + cursor.prefix, cursor.marker);
    }
    cursor.marker = page->entries.back().name;
  }
  return std::move(page->entries);
}

Result<ListingChunk> ListingFetcher::NextChunk(ListingCursor cursor, size_t max_entries) {
  max_entries = std::max<size_t>(max_entries, 1);  // every chunk takes a fresh entry: progress
  const bool carried = !cursor.fetched.empty() || !cursor.held_back.empty();
  const auto started = carried ? cursor.since : clock_.Monotonic();
  DirectoryListingBuilder builder;
  // Objects whose `name/` may still follow, each a prefix of the next (the last entry
  // seen starts with all of them): added once a later name shows it cannot.
  std::vector<swift::ListEntry> waiting = std::move(cursor.held_back);
  std::vector<swift::ListEntry> page = std::move(cursor.fetched);
  size_t next = 0;   // in `page`
  size_t taken = 0;  // fresh raw entries in this chunk
  while (true) {
    if (next == page.size()) {
      if (cursor.pages_done) break;
      auto fetched = FetchPage(cursor);
      if (!fetched) return std::move(fetched).error();
      page = std::move(*fetched);
      next = 0;
      continue;
    }
    if (taken == max_entries) {
      // Entries remain: the chunk ends here and the rest waits in the cursor.
      cursor.fetched.assign(std::make_move_iterator(page.begin() + static_cast<ptrdiff_t>(next)),
                            std::make_move_iterator(page.end()));
      cursor.held_back = std::move(waiting);
      cursor.since = started;
      return ListingChunk{std::move(builder).Build(started), std::move(cursor)};
    }
    swift::ListEntry& item = page[next++];
    ++taken;
    while (!waiting.empty() && !SubdirMayFollow(waiting.back().name, item.name)) {
      AddEntry(cursor.prefix, waiting.back(), builder);
      waiting.pop_back();
    }
    if (item.kind == swift::ListEntry::Kind::kObject && item.name.back() != '/') {
      waiting.push_back(std::move(item));
    } else {
      AddEntry(cursor.prefix, item, builder);
    }
  }
  for (const swift::ListEntry& item : waiting) AddEntry(cursor.prefix, item, builder);
  return ListingChunk{std::move(builder).Build(started), std::nullopt};
}

void ListingFetcher::AddEntry(const std::string& prefix, const swift::ListEntry& item,
                              DirectoryListingBuilder& builder) const {
  const std::string_view name = ChildComponent(prefix, item.name);
  if (name.empty()) return;
  ListingEntry entry;
  entry.name = std::string(name);
  if (item.kind == swift::ListEntry::Kind::kSubdir || item.name.back() == '/') {
    entry.kind = EntryKind::kDirectory;
    builder.Add(std::move(entry), "");
    return;
  }
  const swift::ObjectInfo& info = item.info;
  entry.kind = ClassifyObject(info);
  entry.mtime = info.last_modified;
  if (entry.kind == EntryKind::kFile) {
    entry.size = info.size;
    entry.etag = info.etag;
    // DLO manifests list as 0 bytes.
    entry.size_unverified = verify_zero_byte_objects_ && info.size == 0;
  } else if (entry.kind == EntryKind::kSymlink) {
    entry.symlink_target = info.symlink_target.value_or("");
  }
  builder.Add(std::move(entry), info.content_type);
}

Result<ListingPtr> ListingFetcher::ListContainers() {
  const auto started = clock_.Monotonic();
  DirectoryListingBuilder builder;
  std::string marker;
  while (true) {
    auto page = client_.ListContainers(marker, page_limit_.load());
    if (!page) return std::move(page).error();
    for (const swift::ContainerEntry& container : page->containers) {
      if (!IsRepresentableComponent(container.name)) continue;
      ListingEntry entry;
      entry.name = container.name;
      entry.kind = EntryKind::kDirectory;
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
