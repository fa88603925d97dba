#include "core/directory_listing.h"

#include <gtest/gtest.h>

namespace swiftfs::core {
namespace {

ListingEntry Entry(std::string name, EntryKind kind, uint64_t size = 0) {
  ListingEntry e;
  e.name = std::move(name);
  e.kind = kind;
  e.size = size;
  return e;
}

TEST(DirectoryListingTest, SortsAndKeepsTheDirectoryOfADuplicateName) {
  DirectoryListingBuilder builder;
  builder.Add(Entry("b", EntryKind::kFile, 1), "text/plain");
  builder.Add(Entry("a", EntryKind::kFile, 2), "text/plain");
  builder.Add(Entry("a", EntryKind::kDirectory), "");
  builder.Add(Entry("a-b", EntryKind::kFile, 3), "image/png");
  auto listing = std::move(builder).Build({});
  ASSERT_EQ(listing->size(), 3u);
  EXPECT_EQ(listing->entries()[0].name, "a");
  EXPECT_EQ(listing->entries()[0].kind, EntryKind::kDirectory);
  EXPECT_EQ(listing->entries()[1].name, "a-b");
  EXPECT_EQ(listing->entries()[2].name, "b");
  ASSERT_NE(listing->Find("a-b"), nullptr);
  EXPECT_EQ(listing->content_type(*listing->Find("a-b")), "image/png");
  EXPECT_EQ(listing->content_type(*listing->Find("b")), "text/plain");
  EXPECT_EQ(listing->Find("c"), nullptr);
  EXPECT_EQ(listing->Find(""), nullptr);
}

TEST(DirectoryListingTest, EmptyListing) {
  auto listing = DirectoryListingBuilder().Build({});
  EXPECT_EQ(listing->size(), 0u);
  EXPECT_EQ(listing->Find("x"), nullptr);
}

}  // namespace
}  // namespace swiftfs::core
