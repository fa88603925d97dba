#include "core/directory_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <thread>

#include "support/fake_clock.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;

ListingPtr MakeListing(int entries, Clock& clock) {
  DirectoryListingBuilder builder;
  for (int i = 0; i < entries; ++i) {
    ListingEntry e;
    e.name = "e" + std::to_string(i);
    builder.Add(std::move(e), "");
  }
  return std::move(builder).Build(clock.Monotonic());
}

class DirectoryCacheTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  Counters counters_;
};

TEST_F(DirectoryCacheTest, FetchesOnceWhileFresh) {
  DirectoryCache cache(clock_, counters_, seconds(10), 100);
  int fetches = 0;
  auto fetch = [&]() -> Result<ListingPtr> {
    ++fetches;
    return MakeListing(3, clock_);
  };
  EXPECT_EQ(cache.GetFresh("d"), nullptr);
  ASSERT_TRUE(cache.GetOrFetch("d", fetch).ok());
  ASSERT_TRUE(cache.GetOrFetch("d", fetch).ok());
  EXPECT_NE(cache.GetFresh("d"), nullptr);
  EXPECT_EQ(fetches, 1);
  clock_.Advance(seconds(11));
  EXPECT_EQ(cache.GetFresh("d"), nullptr);
  ASSERT_TRUE(cache.GetOrFetch("d", fetch).ok());
  EXPECT_EQ(fetches, 2);
}

TEST_F(DirectoryCacheTest, ErrorsAreSharedButNotCached) {
  DirectoryCache cache(clock_, counters_, seconds(10), 100);
  int fetches = 0;
  auto failing = [&]() -> Result<ListingPtr> {
    ++fetches;
    return MakeError(ErrorCode::kServerError, "503");
  };
  EXPECT_EQ(cache.GetOrFetch("d", failing).error().code, ErrorCode::kServerError);
  EXPECT_EQ(cache.GetOrFetch("d", failing).error().code, ErrorCode::kServerError);
  EXPECT_EQ(fetches, 2);
}

TEST_F(DirectoryCacheTest, ThrowingFetchBecomesAnErrorAndDoesNotWedgeTheKey) {
  DirectoryCache cache(clock_, counters_, seconds(10), 100);
  auto throwing = []() -> Result<ListingPtr> { throw std::bad_alloc(); };
  auto result = cache.GetOrFetch("d", throwing);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
  // The flight was settled: the next caller fetches again instead of waiting on a
  // broken promise forever.
  int fetches = 0;
  auto fetch = [&]() -> Result<ListingPtr> {
    ++fetches;
    return MakeListing(2, clock_);
  };
  auto again = cache.GetOrFetch("d", fetch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 2u);
  EXPECT_EQ(fetches, 1);
}

TEST_F(DirectoryCacheTest, BoundedByTotalEntries) {
  DirectoryCache cache(clock_, counters_, seconds(60), 10);
  auto six = [&]() -> Result<ListingPtr> { return MakeListing(6, clock_); };
  ASSERT_TRUE(cache.GetOrFetch("a", six).ok());
  ASSERT_TRUE(cache.GetOrFetch("b", six).ok());  // 12 > 10: a goes
  EXPECT_EQ(cache.GetFresh("a"), nullptr);
  EXPECT_NE(cache.GetFresh("b"), nullptr);
  EXPECT_EQ(cache.cached_entries(), 6u);
  auto huge = [&]() -> Result<ListingPtr> { return MakeListing(11, clock_); };
  auto listing = cache.GetOrFetch("h", huge);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ((*listing)->size(), 11u);       // the caller still gets it...
  EXPECT_EQ(cache.GetFresh("h"), nullptr);  // ...but it is not cached
}

TEST_F(DirectoryCacheTest, ConcurrentCallersShareOneFetch) {
  DirectoryCache cache(clock_, counters_, seconds(60), 100);
  std::atomic<int> fetches{0};
  std::atomic<bool> release{false};
  auto slow = [&]() -> Result<ListingPtr> {
    ++fetches;
    while (!release.load()) std::this_thread::yield();
    return MakeListing(2, clock_);
  };
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (cache.GetOrFetch("d", slow).ok()) ++ok;
    });
  }
  while (fetches.load() == 0) std::this_thread::yield();
  release = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(fetches.load(), 1);
}

}  // namespace
}  // namespace swiftfs::core
