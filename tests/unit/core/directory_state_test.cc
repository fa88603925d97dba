// DirectoryState: the streaming decision (whole and cached, or streamed and never cached),
// lookups' probe pages, listing staleness, and one listing shared by concurrent openers.
#include "core/directory_state.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectClient;

class DirectoryStateTest : public ::testing::Test {
 protected:
  DirectoryStateTest() : fetcher_(fake_, clock_, false) {
    fetcher_.set_page_limit(10);
    options_.container = "c";
    options_.stream_directory_entries = 25;
  }

  DirectoryState& Make() {
    state_ = std::make_unique<DirectoryState>(fetcher_, clock_, counters_, options_);
    return *state_;
  }
  void Fill(const std::string& dir, int count) {
    for (int i = 0; i < count; ++i) fake_.PutObject("c", dir + "f" + std::to_string(100 + i), "x");
  }
  static Location Dir(const std::string& key) {
    return Location{0, EntryKind::kDirectory, "c", key};
  }

  FakeObjectClient fake_;
  testing::FakeClock clock_;
  Counters counters_;
  FsOptions options_;
  ListingFetcher fetcher_;
  std::unique_ptr<DirectoryState> state_;
};

TEST_F(DirectoryStateTest, ASmallDirectoryIsHeldWholeAndCached) {
  Fill("d/", 25);  // exactly the threshold
  DirectoryState& dirs = Make();
  EXPECT_EQ(dirs.FreshListing(Dir("d/")), nullptr);
  auto start = dirs.Start(Dir("d/"));
  ASSERT_TRUE(start.ok());
  EXPECT_FALSE(start->rest.has_value());
  EXPECT_EQ(start->listing->size(), 25u);
  auto cached = dirs.FreshListing(Dir("d/"));
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached, start->listing);
  const uint64_t listings = fake_.list_objects_count();
  ASSERT_TRUE(dirs.Start(Dir("d/")).ok());
  EXPECT_EQ(fake_.list_objects_count(), listings);  // from the cache
}

TEST_F(DirectoryStateTest, AHugeDirectoryIsStreamedAndNeverCached) {
  Fill("d/", 26);  // one past the threshold
  DirectoryState& dirs = Make();
  auto start = dirs.Start(Dir("d/"));
  ASSERT_TRUE(start.ok());
  ASSERT_TRUE(start->rest.has_value());
  EXPECT_EQ(dirs.FreshListing(Dir("d/")), nullptr);  // a partial listing answers nothing
  EXPECT_EQ(dirs.cached_entries(), 0u);
  const uint64_t listings = fake_.list_objects_count();
  auto again = dirs.Start(Dir("d/"));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->rest.has_value());
  EXPECT_GT(fake_.list_objects_count(), listings);  // listed again, not from a cache
}

TEST_F(DirectoryStateTest, ZeroThresholdNeverStreams) {
  options_.stream_directory_entries = 0;
  Fill("d/", 40);
  auto start = Make().Start(Dir("d/"));
  ASSERT_TRUE(start.ok());
  EXPECT_FALSE(start->rest.has_value());
  EXPECT_EQ(start->listing->size(), 40u);
}

TEST_F(DirectoryStateTest, TheAccountIsListedWholeAndCached) {
  fake_.CreateContainer("a");
  fake_.CreateContainer("b");
  DirectoryState& dirs = Make();
  auto start = dirs.Start(Location{});
  ASSERT_TRUE(start.ok());
  EXPECT_FALSE(start->rest.has_value());
  EXPECT_EQ(start->listing->size(), 2u);
  EXPECT_NE(dirs.FreshListing(Location{}), nullptr);
}

TEST_F(DirectoryStateTest, AStreamReadsAHugeDirectoryToItsEnd) {
  Fill("d/", 60);
  auto stream = Make().OpenStream(Dir("d/"));
  ASSERT_TRUE(stream.ok());
  uint64_t count = 0;
  while (true) {
    auto entry = stream->At(count);
    ASSERT_TRUE(entry.ok());
    if (!*entry) break;
    ++count;
  }
  EXPECT_EQ(count, 60u);
  EXPECT_TRUE(stream->streamed());
}

TEST_F(DirectoryStateTest, ACompleteProbePageIsTheCachedListing) {
  Fill("d/", 5);
  DirectoryState& dirs = Make();
  auto page = fetcher_.FetchFirstPage("c", "d/", 10);
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(page->complete);
  const uint64_t listings = fake_.list_objects_count();
  dirs.KeepProbe(Dir("d/"), std::move(*page));
  auto cached = dirs.FreshListing(Dir("d/"));
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->size(), 5u);
  EXPECT_EQ(fake_.list_objects_count(), listings);  // no request more
}

TEST_F(DirectoryStateTest, AnIncompleteProbePageStartsTheNextListing) {
  Fill("d/", 20);
  DirectoryState& dirs = Make();
  auto page = fetcher_.FetchFirstPage("c", "d/", 10);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->complete);
  dirs.KeepProbe(Dir("d/"), std::move(*page));
  EXPECT_EQ(dirs.FreshListing(Dir("d/")), nullptr);  // not the whole listing
  fake_.ResetCounters();
  auto start = dirs.Start(Dir("d/"));
  ASSERT_TRUE(start.ok());
  EXPECT_EQ(start->listing->size(), 20u);
  // Continues after the probe's 10 entries: page 11-20, then the empty page that ends it.
  EXPECT_EQ(fake_.list_requests().front().marker, "d/f109");
}

TEST_F(DirectoryStateTest, AListingIsStaleAfterTheDirectoryCacheTimeout) {
  options_.dir_cache_timeout = std::chrono::seconds(10);
  Fill("d/", 3);
  DirectoryState& dirs = Make();
  auto start = dirs.Start(Dir("d/"));
  ASSERT_TRUE(start.ok());
  clock_.Advance(std::chrono::seconds(9));
  EXPECT_FALSE(dirs.Stale(*start->listing));
  EXPECT_NE(dirs.FreshListing(Dir("d/")), nullptr);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(dirs.Stale(*start->listing));
  EXPECT_EQ(dirs.FreshListing(Dir("d/")), nullptr);
}

TEST_F(DirectoryStateTest, ConcurrentStartsOfAHugeDirectoryShareOneListing) {
  Fill("d/", 60);
  DirectoryState& dirs = Make();
  std::atomic<int> listings{0};
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  fake_.SetFaultHook(FakeObjectClient::Op::kListObjects,
                     [&](const FakeObjectClient::Call&) -> std::optional<Error> {
                       if (listings++ == 0) gate.wait();  // hold the first request
                       return std::nullopt;
                     });
  auto first = std::async(std::launch::async, [&] { return dirs.Start(Dir("d/")); });
  while (listings.load() == 0) std::this_thread::yield();
  auto second = std::async(std::launch::async, [&] { return dirs.Start(Dir("d/")); });
  // Each Start counts one cache miss under the flight lock, just before it looks for a
  // flight; the first one's cannot end while its request is held, so once the second
  // miss is counted the second start has joined it.
  while (counters_.Get(Counter::kMetadataCacheMisses) < 2) std::this_thread::yield();
  release.set_value();
  auto a = first.get();
  auto b = second.get();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(a->rest.has_value());
  ASSERT_TRUE(b->rest.has_value());
  EXPECT_EQ(a->listing, b->listing);  // one first chunk, each with its own cursor copy
  EXPECT_EQ(listings.load(), 3);      // the first chunk's three pages, once
}

}  // namespace
}  // namespace swiftfs::core
