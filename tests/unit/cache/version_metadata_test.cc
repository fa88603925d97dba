#include "swiftfs/cache/version_metadata.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace swiftfs::cache {
namespace {

using std::chrono::microseconds;
using std::chrono::nanoseconds;

VersionKey Key(const std::string& name, int64_t us = 1'700'000'000'123'450) {
  return VersionKey{"c", name, "etag-" + name, swift::WallTime(microseconds(us))};
}

VersionMetadata Meta(double mtime) {
  VersionMetadata m;
  m.meta_mtime = swift::WallTime(
      std::chrono::duration_cast<swift::WallTime::duration>(std::chrono::duration<double>(mtime)));
  m.metadata["mtime"] = std::to_string(mtime);
  m.content_type = "text/plain";
  return m;
}

TEST(VersionMetadataStoreTest, RemembersPerVersion) {
  LruVersionMetadataStore store(10);
  EXPECT_FALSE(store.Get(Key("a")).has_value());
  store.Put(Key("a"), Meta(1000));
  ASSERT_TRUE(store.Get(Key("a")).has_value());
  EXPECT_EQ(*store.Get(Key("a")), Meta(1000));
  // Another etag, another timestamp or another name is another version.
  VersionKey other_etag = Key("a");
  other_etag.etag = "x";
  EXPECT_FALSE(store.Get(other_etag).has_value());
  EXPECT_FALSE(store.Get(Key("a", 1'700'000'001'000'000)).has_value());
  EXPECT_FALSE(store.Get(Key("b")).has_value());
}

TEST(VersionMetadataStoreTest, EncodedKeysPutLengthsFirstSoNamesCannotCollide) {
  EXPECT_EQ(Key("d/o").Encoded(), "1:c3:d/o8:etag-d/o1700000000123450");
  // Without the lengths these two would both read "a1:b..." .
  const VersionKey one{"a1:b", "c", "e", swift::WallTime(microseconds(7))};
  const VersionKey two{"a", "b1:c", "e", swift::WallTime(microseconds(7))};
  EXPECT_NE(one.Encoded(), two.Encoded());
}

TEST(VersionMetadataStoreTest, TimestampsCompareInMicroseconds) {
  // A listing's last_modified ("...:20.123450") and X-Timestamp ("1700000000.12345")
  // parse to the same microsecond; nanoseconds below it do not make another version.
  LruVersionMetadataStore store(10);
  store.Put(Key("a"), Meta(5));
  VersionKey close = Key("a");
  close.timestamp += nanoseconds(999);
  EXPECT_TRUE(store.Get(close).has_value());
}

TEST(VersionMetadataStoreTest, KeyOfHeadUsesXTimestampNotLastModified) {
  swift::ObjectInfo head;
  head.etag = "e";
  head.timestamp = "1700000000.12345";
  head.last_modified = swift::WallTime(std::chrono::seconds(1'700'000'001));  // rounded up
  const VersionKey key = KeyOfHead("c", "o", head);
  EXPECT_EQ(key.timestamp_us(), 1'700'000'000'123'450);
  head.timestamp.clear();
  EXPECT_EQ(KeyOfHead("c", "o", head).timestamp_us(), 1'700'000'001'000'000);
}

TEST(VersionMetadataStoreTest, InfoOfGivesBackTheHead) {
  swift::ObjectInfo head;
  head.name = "o";
  head.etag = "e";
  head.size = 7;
  head.timestamp = "1700000000.00000";
  head.last_modified = swift::WallTime(std::chrono::seconds(1'700'000'000));
  head.content_type = "text/x";
  head.metadata["color"] = "blue";
  head.meta_mtime = swift::WallTime(std::chrono::seconds(1000));
  const VersionKey key = KeyOfHead("c", "o", head);
  const swift::ObjectInfo back = InfoOf(key, MetadataOfHead(head));
  EXPECT_EQ(back.etag, "e");
  EXPECT_EQ(back.size, 7u);
  EXPECT_EQ(back.content_type, "text/x");
  EXPECT_EQ(back.metadata.at("color"), "blue");
  EXPECT_EQ(back.meta_mtime, head.meta_mtime);
  EXPECT_EQ(back.timestamp, head.timestamp);
}

TEST(VersionMetadataStoreTest, BoundedLeastRecentlyUsedGoesFirst) {
  LruVersionMetadataStore store(2);
  store.Put(Key("a"), Meta(1));
  store.Put(Key("b"), Meta(2));
  ASSERT_TRUE(store.Get(Key("a")).has_value());  // a is now the most recent
  store.Put(Key("c"), Meta(3));
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.Get(Key("a")).has_value());
  EXPECT_FALSE(store.Get(Key("b")).has_value());
  EXPECT_TRUE(store.Get(Key("c")).has_value());
  store.Put(Key("c"), Meta(4));  // replaces, does not grow
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(*store.Get(Key("c")), Meta(4));
}

TEST(VersionMetadataStoreTest, ZeroCapacityStoresNothing) {
  LruVersionMetadataStore store(0);
  store.Put(Key("a"), Meta(1));
  EXPECT_FALSE(store.Get(Key("a")).has_value());
}

TEST(VersionMetadataStoreTest, ConcurrentPutsAndGets) {
  LruVersionMetadataStore store(100);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 500; ++i) {
        const VersionKey key = Key("n" + std::to_string((i + t) % 150));
        store.Put(key, Meta(i));
        (void)store.Get(key);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(store.size(), 100u);
}

}  // namespace
}  // namespace swiftfs::cache
