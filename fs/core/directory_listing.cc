#include "core/directory_listing.h"

#include <algorithm>

namespace swiftfs::core {

DirectoryListing::DirectoryListing(std::vector<ListingEntry> entries,
                                   std::vector<std::string> content_types,
                                   std::chrono::steady_clock::time_point fetched_at)
    : entries_(std::move(entries)),
      content_types_(std::move(content_types)),
      fetched_at_(fetched_at) {
  // Directories sort before other kinds of the same name, so unique() keeps them.
  auto directory_first = [](const ListingEntry& a, const ListingEntry& b) {
    if (a.name != b.name) return a.name < b.name;
    return (a.kind == EntryKind::kDirectory) > (b.kind == EntryKind::kDirectory);
  };
  std::stable_sort(entries_.begin(), entries_.end(), directory_first);
  auto same_name = [](const ListingEntry& a, const ListingEntry& b) { return a.name == b.name; };
  entries_.erase(std::unique(entries_.begin(), entries_.end(), same_name), entries_.end());
  entries_.shrink_to_fit();
}

const ListingEntry* DirectoryListing::Find(std::string_view name) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                             [](const ListingEntry& e, std::string_view n) { return e.name < n; });
  if (it == entries_.end() || it->name != name) return nullptr;
  return &*it;
}

const std::string& DirectoryListing::content_type(const ListingEntry& entry) const {
  return entry.content_type < content_types_.size() ? content_types_[entry.content_type]
                                                    : content_types_.front();
}

void DirectoryListingBuilder::Add(ListingEntry entry, std::string_view content_type) {
  // Past the 16-bit index range (never seen in practice) a new type is dropped (reads as
  // "") rather than mis-indexed.
  auto it = content_type_index_.find(std::string(content_type));
  if (it != content_type_index_.end()) {
    entry.content_type = it->second;
  } else if (content_types_.size() < UINT16_MAX) {
    entry.content_type = static_cast<uint16_t>(content_types_.size());
    content_types_.emplace_back(content_type);
    content_type_index_.emplace(content_type, entry.content_type);
  }
  entries_.push_back(std::move(entry));
}

std::shared_ptr<const DirectoryListing> DirectoryListingBuilder::Build(
    std::chrono::steady_clock::time_point fetched_at) && {
  return std::make_shared<const DirectoryListing>(std::move(entries_), std::move(content_types_),
                                                  fetched_at);
}

}  // namespace swiftfs::core
