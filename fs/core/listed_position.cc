#include "core/listed_position.h"

#include <memory>
#include <string>
#include <utility>

namespace swiftfs::core {
namespace {

// A listing snapshot of the directory `dir` as a ListingOrder. Entry versions are what
// Open pins from a fresh listing (AttrBuilder::AttrsFromListing: the entry's etag and
// size), so the cache layer can compare them with the version an open asks for.
class ListingOrderView final : public cache::ListingOrder {
 public:
  ListingOrderView(Location dir, ListingPtr listing)
      : dir_(std::move(dir)), listing_(std::move(listing)), key_(DirCacheKey(dir_)) {}

  const std::string& directory() const override { return key_; }
  size_t size() const override { return listing_->size(); }

  Entry At(size_t index) const override {
    const ListingEntry& entry = listing_->entries()[index];
    Entry out;
    out.content = entry.kind == EntryKind::kFile && entry.size > 0 && !entry.size_unverified &&
                  entry.symlink_target.empty();
    if (out.content) {
      out.version.container = dir_.container;
      out.version.name = dir_.key + entry.name;
      out.version.etag = entry.etag;
      out.version.size = entry.size;
    }
    return out;
  }

  std::optional<size_t> IndexOf(std::string_view object_name) const override {
    if (!object_name.starts_with(dir_.key)) return std::nullopt;
    const ListingEntry* entry = listing_->Find(object_name.substr(dir_.key.size()));
    if (entry == nullptr) return std::nullopt;
    return static_cast<size_t>(entry - listing_->entries().data());
  }

 private:
  const Location dir_;
  const ListingPtr listing_;
  const std::string key_;
};

}  // namespace

std::optional<cache::ListedPosition> ListedPositionOf(DirectoryState& dirs, const Location& file) {
  if (file.container.empty() || file.kind != EntryKind::kFile) return std::nullopt;
  auto [prefix, name] = ParentPrefix(file);
  ListingPtr listing = dirs.FreshListing(file.container, prefix);
  if (!listing) return std::nullopt;
  const ListingEntry* entry = listing->Find(name);
  if (entry == nullptr) return std::nullopt;
  const auto index = static_cast<size_t>(entry - listing->entries().data());
  Location dir;
  dir.container = file.container;
  dir.key = std::move(prefix);
  return cache::ListedPosition{
      std::make_shared<ListingOrderView>(std::move(dir), std::move(listing)), index};
}

}  // namespace swiftfs::core
