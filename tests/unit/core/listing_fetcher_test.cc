#include "core/listing_fetcher.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"
#include "support/forwarding_object_client.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectClient;
using testing::FakeObjectOptions;

std::string Numbered(const char* prefix, int i) {
  char name[64];
  std::snprintf(name, sizeof name, "%s%06d", prefix, i);
  return name;
}

class ListingFetcherTest : public ::testing::Test {
 protected:
  std::vector<std::string> Names(const DirectoryListing& listing) {
    std::vector<std::string> names;
    for (const auto& e : listing.entries()) names.push_back(e.name);
    return names;
  }
  const ListingEntry& Get(const DirectoryListing& listing, std::string_view name) {
    const ListingEntry* entry = listing.Find(name);
    EXPECT_NE(entry, nullptr) << name;
    static const ListingEntry kMissing;
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
class MarkerIgnoringClient final : public testing::ForwardingObjectClient {
 public:
  explicit MarkerIgnoringClient(swift::ObjectClient& inner) : ForwardingObjectClient(inner) {}
  Result<swift::ContainerPage> ListContainers(const std::string&, uint32_t limit) override {
    return ForwardingObjectClient::ListContainers("", limit);
  }
  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override {
    swift::ListRequest first = request;
    first.marker.clear();
    return ForwardingObjectClient::ListObjects(first);
  }
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

// --- chunks (a huge directory read a piece at a time) ---

// Every chunk of the directory `prefix` of "c": the first `first_entries` raw entries,
// then `next_entries` at a time.
std::vector<ListingChunk> AllChunks(ListingFetcher& fetcher, const std::string& prefix,
                                    size_t first_entries, size_t next_entries,
                                    const FirstPage* first = nullptr) {
  std::vector<ListingChunk> chunks;
  auto chunk = fetcher.ListDirectoryUpTo("c", prefix, first, first_entries);
  EXPECT_TRUE(chunk.ok());
  while (chunk.ok()) {
    chunks.push_back(*chunk);
    if (!chunk->rest) break;
    chunk = fetcher.NextChunk(*chunk->rest, next_entries);
    EXPECT_TRUE(chunk.ok());
  }
  return chunks;
}

std::vector<std::string> StreamNames(const std::vector<ListingChunk>& chunks) {
  std::vector<std::string> names;
  for (const ListingChunk& chunk : chunks) {
    for (const auto& e : chunk.listing->entries()) names.push_back(e.name);
  }
  return names;
}

TEST_F(ListingFetcherTest, ASmallDirectoryIsOneWholeChunk) {
  for (int i = 0; i < 250; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(100);
  auto chunk = fetcher.ListDirectoryUpTo("c", "", nullptr, 250);
  ASSERT_TRUE(chunk.ok());
  EXPECT_FALSE(chunk->rest.has_value());
  EXPECT_EQ(chunk->listing->size(), 250u);
  EXPECT_EQ(fake_.list_objects_count(), 3u);  // 100, 100, 50: as a whole listing
}

TEST_F(ListingFetcherTest, AHugeDirectoryComesInChunksCoveringItOnce) {
  for (int i = 0; i < 1000; ++i) fake_.PutObject("c", Numbered("d/f", i), "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(100);
  auto first = fetcher.ListDirectoryUpTo("c", "d/", nullptr, 250);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->rest.has_value());
  // The chunk's last name waits for the next chunk: a subdir `f000249/` could follow.
  EXPECT_EQ(first->listing->size(), 249u);
  EXPECT_EQ(first->rest->held_back.size(), 1u);
  EXPECT_EQ(fake_.list_objects_count(), 3u);  // only as many pages as the first chunk needs
  EXPECT_EQ(first->rest->fetched.size(), 50u);
  fake_.ResetCounters();
  auto chunks = AllChunks(fetcher, "d/", 250, 100);
  ASSERT_EQ(chunks.size(), 9u);  // 250, then 100 at a time
  for (const ListingChunk& chunk : chunks) {
    size_t held = chunk.listing->size();
    if (chunk.rest) held += chunk.rest->fetched.size() + chunk.rest->held_back.size();
    EXPECT_LE(held, 250u + 100u);
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) expected.push_back(Numbered("f", i));
  EXPECT_EQ(StreamNames(chunks), expected);
  // The same requests as a whole listing: ten full pages and the empty one after them.
  EXPECT_EQ(fake_.list_objects_count(), 11u);
}

TEST_F(ListingFetcherTest, AnObjectAndItsSubdirAcrossAChunkEndAreOneDirectory) {
  // x, x-1 and x.txt sort between the object x and the subdir x/; the first chunk ends
  // after x-1, on a page boundary too.
  for (int i = 0; i < 8; ++i) fake_.PutObject("c", Numbered("a", i), "x");
  for (const char* name : {"x", "x-1", "x.txt", "x/child", "z"}) fake_.PutObject("c", name, "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(5);
  auto chunks = AllChunks(fetcher, "", 10, 2);
  ASSERT_GE(chunks.size(), 2u);
  std::vector<std::string> names = StreamNames(chunks);
  ASSERT_EQ(names.size(), 12u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const ListingChunk& chunk : chunks) {
    if (const ListingEntry* x = chunk.listing->Find("x")) {
      EXPECT_EQ(x->kind, EntryKind::kDirectory);
    }
  }
  // x was held back from the first chunk.
  EXPECT_EQ(chunks[0].listing->Find("x"), nullptr);
  EXPECT_NE(chunks[0].listing->Find(Numbered("a", 7)), nullptr);
}

TEST_F(ListingFetcherTest, AnObjectWithoutSubdirIsHeldBackOnlyUntilTheListingPassesIt) {
  // Hundreds of names between x and where x/ would be: only x itself waits, the chunks
  // stay small, and x comes out once, as a file, when the listing passes x/.
  fake_.PutObject("c", "x", "x");
  for (int i = 0; i < 500; ++i) fake_.PutObject("c", Numbered("x-", i), "x");
  fake_.PutObject("c", "y", "x");
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(100);
  auto chunks = AllChunks(fetcher, "", 150, 100);
  std::vector<std::string> names = StreamNames(chunks);
  ASSERT_EQ(names.size(), 502u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const ListingChunk& chunk : chunks) {
    if (chunk.rest) {
      EXPECT_LE(chunk.rest->held_back.size(), 2u);
    }
    EXPECT_LE(chunk.listing->size(), 150u);
    if (const ListingEntry* x = chunk.listing->Find("x")) {
      EXPECT_EQ(x->kind, EntryKind::kFile);
    }
  }
}

TEST_F(ListingFetcherTest, ChunksAreCutTheSameWithOrWithoutALookupsFirstPage) {
  for (int i = 0; i < 40; ++i) {
    fake_.PutObject("c", "d/" + Numbered("n", i), "x");
    if (i % 3 == 0) fake_.PutObject("c", "d/" + Numbered("n", i) + "-1", "x");
    if (i % 4 == 0) fake_.PutObject("c", "d/" + Numbered("n", i) + "/child", "x");
  }
  ListingFetcher fetcher(fake_, clock_, false);
  fetcher.set_page_limit(7);
  const auto plain = StreamNames(AllChunks(fetcher, "d/", 12, 7));
  auto probe = fetcher.FetchFirstPage("c", "d/", 5);
  ASSERT_TRUE(probe.ok());
  const auto probed = StreamNames(AllChunks(fetcher, "d/", 12, 7, &*probe));
  EXPECT_EQ(plain, probed);
  EXPECT_EQ(plain.size(), 40u + 14u);
  auto whole = fetcher.ListDirectory("c", "d/");
  ASSERT_TRUE(whole.ok());
  const std::vector<std::string> whole_names = Names(**whole);
  EXPECT_EQ(std::set<std::string>(plain.begin(), plain.end()),
            std::set<std::string>(whole_names.begin(), whole_names.end()));
}

TEST_F(ListingFetcherTest, ChunksKeepListingPastShortPagesUntilEmpty) {
  for (int i = 0; i < 25; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  ListingFetcher fetcher(fake_, clock_, true);
  fetcher.set_page_limit(10);
  auto chunks = AllChunks(fetcher, "", 12, 5);
  EXPECT_EQ(StreamNames(chunks).size(), 25u);
  EXPECT_EQ(fake_.list_objects_count(), 4u);  // 10, 10, 5, then the empty page
}

TEST_F(ListingFetcherTest, AChunkThatDoesNotAdvanceIsAnError) {
  for (int i = 0; i < 25; ++i) fake_.PutObject("c", Numbered("f", i), "x");
  MarkerIgnoringClient broken(fake_);
  ListingFetcher fetcher(broken, clock_, false);
  fetcher.set_page_limit(10);
  auto first = fetcher.ListDirectoryUpTo("c", "", nullptr, 5);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->rest.has_value());
  auto next = fetcher.NextChunk(*first->rest, 10);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, ErrorCode::kBadResponse);
}

}  // namespace
}  // namespace swiftfs::core
