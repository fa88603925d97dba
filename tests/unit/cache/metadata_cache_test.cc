#include "swiftfs/cache/metadata_cache.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace swiftfs::cache {
namespace {

using std::chrono::seconds;

std::shared_ptr<const swift::ObjectInfo> Info(uint64_t size) {
  auto info = std::make_shared<swift::ObjectInfo>();
  info->size = size;
  return info;
}

class MetadataCacheTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  Counters counters_;
};

TEST_F(MetadataCacheTest, PositiveAndNegativeEntriesExpire) {
  MetadataCache cache(clock_, counters_, 10);
  cache.PutObject("c/a", Info(5), seconds(10));
  cache.PutNegative("c/b", seconds(2));
  auto a = cache.Get("c/a");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(a->exists());
  EXPECT_EQ(a->info->size, 5u);
  auto b = cache.Get("c/b");
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->exists());
  clock_.Advance(seconds(3));
  EXPECT_FALSE(cache.Get("c/b").has_value());
  EXPECT_TRUE(cache.Get("c/a").has_value());
  clock_.Advance(seconds(8));
  EXPECT_FALSE(cache.Get("c/a").has_value());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(counters_.Get(Counter::kMetadataCacheHits), 3u);
  EXPECT_EQ(counters_.Get(Counter::kMetadataCacheMisses), 2u);
}

TEST_F(MetadataCacheTest, BoundedLeastRecentlyUsedFirst) {
  MetadataCache cache(clock_, counters_, 2);
  cache.PutObject("a", Info(1), seconds(60));
  cache.PutObject("b", Info(2), seconds(60));
  ASSERT_TRUE(cache.Get("a").has_value());  // a is now the most recent
  cache.PutObject("c", Info(3), seconds(60));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Get("a").has_value());
  EXPECT_FALSE(cache.Get("b").has_value());
  EXPECT_TRUE(cache.Get("c").has_value());
}

TEST_F(MetadataCacheTest, ReplaceInvalidateAndZeroTtl) {
  MetadataCache cache(clock_, counters_, 10);
  cache.PutNegative("a", seconds(60));
  cache.PutObject("a", Info(7), seconds(60));
  EXPECT_TRUE(cache.Get("a")->exists());
  cache.Invalidate("a");
  EXPECT_FALSE(cache.Get("a").has_value());
  cache.PutObject("z", Info(1), seconds(0));
  EXPECT_FALSE(cache.Get("z").has_value());
}

}  // namespace
}  // namespace swiftfs::cache
