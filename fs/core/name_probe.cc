// ListingFetcher::ProbeName: one bounded flat listing answers a lookup that has no listing
// of its directory (see "Name probes" in listing_fetcher.h). Before it, a lookup cost a
// probe of `name/` and, for a file, a HEAD: two requests where one does.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/listing_fetcher.h"

namespace swiftfs::core {

namespace {

// The entries of a flat listing under `dir_prefix` folded as a delimiter listing of that
// prefix shows them: a name with a '/' after the prefix becomes the subdir up to it, once
// for a run of names under the same subdir (Swift's own rule, so a listing that continues
// after the last of them, marker = that subdir, skips the rest of it as Swift does).
std::vector<swift::ListEntry> FoldAtDelimiter(const std::string& dir_prefix,
                                              std::vector<swift::ListEntry> flat) {
  std::vector<swift::ListEntry> folded;
  folded.reserve(flat.size());
  for (swift::ListEntry& item : flat) {
    const size_t slash = item.name.find('/', dir_prefix.size());
    if (slash == std::string::npos) {
      folded.push_back(std::move(item));
      continue;
    }
    std::string subdir = item.name.substr(0, slash + 1);
    if (!folded.empty() && folded.back().kind == swift::ListEntry::Kind::kSubdir &&
        folded.back().name == subdir) {
      continue;
    }
    swift::ListEntry entry;
    entry.kind = swift::ListEntry::Kind::kSubdir;
    entry.name = std::move(subdir);
    folded.push_back(std::move(entry));
  }
  return folded;
}

}  // namespace

Result<NameProbe> ListingFetcher::ProbeName(const std::string& container, const std::string& prefix,
                                            std::string_view name, uint32_t limit) {
  const auto started = clock_.Monotonic();
  const std::string key = prefix + std::string(name);
  const std::string children_prefix = key + '/';
  swift::ListRequest request;
  request.container = container;
  request.prefix = key;
  request.end_marker = key + static_cast<char>('/' + 1);
  request.limit = std::min(limit, page_limit_.load());
  auto page = client_.ListObjects(request);
  if (!page) return std::move(page).error();

  std::optional<swift::ListEntry> object;
  std::vector<swift::ListEntry> under;
  // A name at or past the end marker (a server that ignores it) means the listing went
  // past everything under `name/`: the page told all there is.
  bool passed = false;
  for (swift::ListEntry& item : page->entries) {
    if (item.name >= request.end_marker) {
      passed = true;
      break;
    }
    if (item.kind != swift::ListEntry::Kind::kObject) continue;  // no delimiter: none
    if (item.name == key) {
      object = std::move(item);
    } else if (item.name.starts_with(children_prefix)) {
      under.push_back(std::move(item));
    }
  }
  // As FetchFirstPage: short of this request's limit (not the page limit) is the end.
  const size_t got = page->entries.size();
  const bool whole = passed || (until_empty_page_ ? got == 0 : got < request.limit);

  NameProbe probe;
  if (!under.empty()) {
    FirstPage first;
    first.fetched_at = started;
    first.complete = whole;
    first.entries = FoldAtDelimiter(children_prefix, std::move(under));
    probe.children = std::move(first);
  } else if (!whole) {
    // Names between `name` and `name/` filled the page: ask for `name/` itself.
    auto first = FetchFirstPage(container, children_prefix, limit);
    if (!first) return std::move(first).error();
    if (!first->entries.empty()) probe.children = std::move(*first);
  } else if (object && IsDirectoryMarker(object->info)) {
    // An empty directory whose marker is `name`: its listing is known to be empty.
    probe.children = FirstPage{{}, true, started};
  }

  DirectoryListingBuilder builder;
  if (object) AddEntry(prefix, *object, builder);
  if (probe.children) {
    swift::ListEntry subdir;
    subdir.kind = swift::ListEntry::Kind::kSubdir;
    subdir.name = children_prefix;
    AddEntry(prefix, subdir, builder);  // a directory wins over an object of its name
  }
  probe.found = std::move(builder).Build(started);
  return probe;
}

}  // namespace swiftfs::core
