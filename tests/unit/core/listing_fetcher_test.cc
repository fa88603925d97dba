#include "core/listing_fetcher.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

using cache::EntryKind;
using testing::FakeObjectClient;
using testing::FakeObjectOptions;

std::string Numbered(const char* prefix, int i) {
  char name[64];
  std::snprintf(name, sizeof name, "%s%06d", prefix, i);
  return name;
}

class ListingFetcherTest : public ::testing::Test {
 protected:
  std::vector<std::string> Names(const cache::DirectoryListing& listing) {
    std::vector<std::string> names;
    for (const auto& e : listing.entries()) names.push_back(e.name);
    return names;
  }
  const cache::ListingEntry& Get(const cache::DirectoryListing& listing, std::string_view name) {
    const cache::ListingEntry* entry = listing.Find(name);
    EXPECT_NE(entry, nullptr) << name;
    static const cache::ListingEntry kMissing;
    return entry ? *entry : kMissing;
  }

  FakeObjectClient fake_;
  testing::FakeClock clock_;
};

TEST_F(ListingFetcherTest, TwentyFiveThousandEntriesTakeThreeRequests) {
  for (int i = 0; i < 25000; ++i) fake_.PutObject("c", Numbered("d/f", i), "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(10000);
  auto listing = fetcher.ListDirectory("c", "d/");
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ((*listing)->size(), 25000u);
  EXPECT_EQ(fake_.list_objects_count(), 3u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  auto requests = fake_.list_requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].marker, "");
  EXPECT_EQ(requests[1].marker, Numbered("d/f", 9999));
  EXPECT_EQ(requests[2].marker, Numbered("d/f", 19999));
  EXPECT_EQ(requests[0].prefix, "d/");
  EXPECT_EQ(requests[0].delimiter, '/');
}

TEST_F(ListingFetcherTest, ExactMultipleOfTheLimitEndsWithAnEmptyPage) {
  for (int i = 0; i < 20; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(10);
  auto listing = fetcher.ListDirectory("c", "");
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ((*listing)->size(), 20u);
  EXPECT_EQ(fake_.list_objects_count(), 3u);
}

TEST_F(ListingFetcherTest, AShortFirstPageIsTheWholeListing) {
  fake_.PutObject("c", "d/a", "1");
  fake_.PutObject("c", "d/sub/x", "2");
  ListingFetcher fetcher(fake_, clock_, false);
  auto first = fetcher.FetchFirstPage("c", "d/", 5);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->complete);
  ASSERT_EQ(first->entries.size(), 2u);
  EXPECT_EQ(fake_.list_requests()[0].limit, 5u);
  auto listing = fetcher.ListDirectory("c", "d/", &*first);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(Names(**listing), (std::vector<std::string>{"a", "sub"}));
  EXPECT_EQ(Get(**listing, "sub").kind, EntryKind::kDirectory);
  EXPECT_EQ(fake_.list_objects_count(), 1u);  // built from the page alone
}

TEST_F(ListingFetcherTest, AFullFirstPageIsContinuedAfterItsLastName) {
  for (int i = 0; i < 25; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(10);
  auto first = fetcher.FetchFirstPage("c", "", 3);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->complete);
  clock_.Advance(std::chrono::seconds(5));
  auto listing = fetcher.ListDirectory("c", "", &*first);
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ((*listing)->size(), 25u);
  EXPECT_EQ((*listing)->entries()[3].name, Numbered("f", 3));
  // 3 + 10 + 10 + 2: the first page shifts the pages, so no trailing empty one.
  auto requests = fake_.list_requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].marker, Numbered("f", 2));
  EXPECT_EQ(requests[1].limit, 10u);
  // The listing is as old as its first page.
  EXPECT_EQ((*listing)->fetched_at(), first->fetched_at);
}

TEST_F(ListingFetcherTest, FirstPageNeverAsksMoreThanTheClusterLimit) {
  fake_.PutObject("c", "a", "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(50);
  ASSERT_TRUE(fetcher.FetchFirstPage("c", "", 100).ok());
  EXPECT_EQ(fake_.list_requests()[0].limit, 50u);
}

TEST_F(ListingFetcherTest, UntilEmptyPageKeepsListingPastShortPages) {
  for (int i = 0; i < 25; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  ListingFetcher fetcher(fake_, clock_, true);
  fetcher.set_page_limit(10);
  auto listing = fetcher.ListDirectory("c", "");
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ((*listing)->size(), 25u);
  EXPECT_EQ(fake_.list_objects_count(), 4u);  // 10, 10, 5, then the empty page
}

TEST_F(ListingFetcherTest, PaginationAcrossSubdirsHasNoDuplicates) {
  // Each pseudo-directory holds many objects; pages end on subdir entries.
  for (int d = 0; d < 7; ++d) {
    for (int i = 0; i < 5; ++i)
      fake_.PutObject("c", Numbered("dir", d) + "/" + Numbered("f", i), "x");
    fake_.PutObject("c", Numbered("file", d), "x");
  }
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(3);
  auto listing = fetcher.ListDirectory("c", "");
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ((*listing)->size(), 14u);
  EXPECT_EQ(fake_.list_objects_count(), 5u);  // 3+3+3+3+2
}

TEST_F(ListingFetcherTest, MergesMarkersSubdirsAndClashes) {
  FakeObjectOptions dir_type;
  dir_type.content_type = "application/directory";
  FakeObjectOptions x_dir_type;
  x_dir_type.content_type = "application/x-directory; charset=utf-8";
  fake_.PutObject("c", "a", "file a");  // object a and objects under a/: a is a dir
  fake_.PutObject("c", "a/b", "b");
  fake_.PutObject("c", "m/", "");  // marker ending in '/', with contents
  fake_.PutObject("c", "m/x", "x");
  fake_.PutObject("c", "e/", "");           // marker ending in '/', empty directory
  fake_.PutObject("c", "n", "", dir_type);  // application/directory marker + contents
  fake_.PutObject("c", "n/x", "x");
  fake_.PutObject("c", "lone", "", x_dir_type);           // x-directory marker alone
  fake_.PutObject("c", "big", "not a marker", dir_type);  // not 0 bytes: a file
  fake_.PutSymlink("c", "s", "c/a/b");
  fake_.PutObject("c", "z", "");  // 0 bytes: maybe a DLO

  ListingFetcher fetcher(fake_, clock_, false);
  auto listing = fetcher.ListDirectory("c", "");
  ASSERT_TRUE(listing.ok());
  const auto& l = **listing;
  EXPECT_EQ(Names(l), (std::vector<std::string>{"a", "big", "e", "lone", "m", "n", "s", "z"}));
  EXPECT_EQ(Get(l, "a").kind, EntryKind::kDirectory);
  EXPECT_EQ(Get(l, "m").kind, EntryKind::kDirectory);
  EXPECT_EQ(Get(l, "e").kind, EntryKind::kDirectory);
  EXPECT_EQ(Get(l, "n").kind, EntryKind::kDirectory);
  EXPECT_EQ(Get(l, "lone").kind, EntryKind::kDirectory);
  EXPECT_EQ(Get(l, "big").kind, EntryKind::kFile);
  EXPECT_EQ(Get(l, "big").size, 12u);
  EXPECT_FALSE(Get(l, "big").size_unverified);
  EXPECT_EQ(Get(l, "s").kind, EntryKind::kSymlink);
  EXPECT_EQ(Get(l, "s").symlink_target, "c/a/b");
  EXPECT_EQ(Get(l, "z").kind, EntryKind::kFile);
  EXPECT_TRUE(Get(l, "z").size_unverified);
  EXPECT_EQ(l.content_type(Get(l, "big")), "application/directory");

  // Inside m/, the marker "m/" itself is not an entry.
  auto m = fetcher.ListDirectory("c", "m/");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Names(**m), (std::vector<std::string>{"x"}));
}

TEST_F(ListingFetcherTest, SkipsUnrepresentableNamesAndKeepsOddOnesByteForByte) {
  const std::vector<std::string> odd = {"with space",  "100%",
                                        "#hash",       "what?",
                                        "a+b&c",       "quote'\"",
                                        "back\\slash", "tab\there",
                                        "-dash",       "\xc3\xa9t\xc3\xa9",
                                        "...",         std::string(255, 'k')};
  for (const auto& name : odd) fake_.PutObject("c", name, "x");
  for (const std::string name : {"/leading", "x//y", "./dot", "../dotdot", "."}) {
    fake_.PutObject("c", name, "skipped");
  }
  fake_.PutObject("c", std::string(256, 'l'), "too long");
  fake_.PutObject("c", "sub/" + std::string(256, 'l'), "too long inside");
  ListingFetcher fetcher(fake_, clock_, false);
  auto listing = fetcher.ListDirectory("c", "");
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> expected = odd;
  expected.push_back("sub");
  expected.push_back("x");  // x//y: x is a directory...
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Names(**listing), expected);
  auto x = fetcher.ListDirectory("c", "x/");  // ...whose only child has an empty name
  ASSERT_TRUE(x.ok());
  EXPECT_EQ((*x)->size(), 0u);
  auto sub = fetcher.ListDirectory("c", "sub/");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ((*sub)->size(), 0u);
}

// A server (or proxy) that drops the marker parameter: every page is the first one.
class MarkerIgnoringClient final : public swift::ObjectClient {
 public:
  explicit MarkerIgnoringClient(swift::ObjectClient& inner) : inner_(inner) {}
  Result<swift::ClusterInfo> GetClusterInfo() override { return inner_.GetClusterInfo(); }
  Result<swift::AccountInfo> HeadAccount() override { return inner_.HeadAccount(); }
  Result<swift::ContainerPage> ListContainers(const std::string&, uint32_t limit) override {
    return inner_.ListContainers("", limit);
  }
  Result<swift::ContainerEntry> HeadContainer(const std::string& container) override {
    return inner_.HeadContainer(container);
  }
  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override {
    swift::ListRequest first = request;
    first.marker.clear();
    return inner_.ListObjects(first);
  }
  Result<swift::ObjectInfo> HeadObject(const std::string& container,
                                       const std::string& name) override {
    return inner_.HeadObject(container, name);
  }
  Result<swift::ReadResult> GetRange(const std::string& container, const std::string& name,
                                     uint64_t offset, std::span<char> buffer,
                                     const std::string& if_match) override {
    return inner_.GetRange(container, name, offset, buffer, if_match);
  }

 private:
  swift::ObjectClient& inner_;
};

TEST_F(ListingFetcherTest, APageThatDoesNotAdvanceIsAnErrorNotAnEndlessLoop) {
  for (int i = 0; i < 25; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  for (int i = 0; i < 25; ++i) fake_.CreateContainer(Numbered("k", i));
  MarkerIgnoringClient broken(fake_);
  ListingFetcher fetcher(broken, clock_, false);
  fetcher.set_page_limit(10);
  auto objects = fetcher.ListDirectory("c", "");
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.error().code, ErrorCode::kBadResponse);
  EXPECT_EQ(fake_.list_objects_count(), 2u);
  auto containers = fetcher.ListContainers();
  ASSERT_FALSE(containers.ok());
  EXPECT_EQ(containers.error().code, ErrorCode::kBadResponse);
  EXPECT_EQ(fake_.list_containers_count(), 2u);
}

TEST_F(ListingFetcherTest, ContainersPaginate) {
  for (int i = 0; i < 25; ++i) fake_.CreateContainer(Numbered("c", i));
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(10);
  auto listing = fetcher.ListContainers();
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ((*listing)->size(), 25u);
  EXPECT_EQ(fake_.list_containers_count(), 3u);
  EXPECT_EQ((*listing)->entries()[0].kind, EntryKind::kDirectory);
}

TEST_F(ListingFetcherTest, ErrorsPassThrough) {
  fake_.PutObject("c", "f", "x");
  fake_.FailNext(FakeObjectClient::Op::kListObjects, 1,
                 MakeError(ErrorCode::kServerError, "503", 503));
  ListingFetcher fetcher(fake_, clock_, false);
  auto listing = fetcher.ListDirectory("c", "");
  ASSERT_FALSE(listing.ok());
  EXPECT_EQ(listing.error().code, ErrorCode::kServerError);
}

}  // namespace
}  // namespace swiftfs::core
