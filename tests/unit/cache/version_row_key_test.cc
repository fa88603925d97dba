// Row keys of the persistent version store: they decode back to the version, no two
// versions share one (whatever bytes the names hold), and their byte order is the listing
// order of names, which the store's read-ahead relies on.

#include "cache/disk/version_row_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace swiftfs::cache {
namespace {

VersionKey Key(std::string container, std::string name, int64_t us = 1'700'000'000'000'001) {
  return VersionKey{std::move(container), std::move(name), "0123abcd",
                    swift::WallTime(std::chrono::microseconds(us))};
}

TEST(VersionRowKeyTest, RoundTrips) {
  const std::string prefix = RowKeyPrefix("http://127.0.0.1:8080/v1/AUTH_a");
  for (const VersionKey& key :
       {Key("c", "dir/o1"), Key("c", std::string("nul\0in\0name", 12)), Key("", ""),
        Key("c", "before 1970", -1'234'567), Key("c\xff", "\x01\xff\x00", 0)}) {
    auto back = DecodeRowKey(prefix, EncodeRowKey(prefix, key));
    ASSERT_TRUE(back.has_value()) << key.name;
    EXPECT_EQ(*back, key);
    EXPECT_EQ(back->container, key.container);
    EXPECT_EQ(back->name, key.name);
    EXPECT_EQ(back->etag, key.etag);
  }
}

TEST(VersionRowKeyTest, NoTwoVersionsShareAKey) {
  const std::string prefix = RowKeyPrefix("AUTH_a");
  const std::string zero(1, '\0');
  std::vector<std::string> rows = {EncodeRowKey(prefix, Key("a" + zero, "b")),
                                   EncodeRowKey(prefix, Key("a", zero + "b")),
                                   EncodeRowKey(prefix, Key("a", "b" + zero)),
                                   EncodeRowKey(prefix, Key("a", "b")),
                                   EncodeRowKey(prefix, Key("ab", "")),
                                   EncodeRowKey(prefix, Key("a", "b", 2)),
                                   EncodeRowKey(RowKeyPrefix("AUTH_a" + zero), Key("", "b"))};
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(std::adjacent_find(rows.begin(), rows.end()), rows.end());
}

TEST(VersionRowKeyTest, KeyOrderIsListingOrder) {
  const std::string prefix = RowKeyPrefix("AUTH_a");
  // Swift lists names in byte order: a name before every longer name it begins, whatever
  // their lengths ("o10" between "o1" and "o2").
  std::vector<std::string> names = {
      "d/o1", "d/o10", "d/o2", "d/o1/x", "d/o1.5", "d/", std::string("d/o1\0", 5), "e", "d/\xff"};
  std::sort(names.begin(), names.end());
  std::vector<std::string> rows;
  for (const std::string& name : names) rows.push_back(EncodeRowKey(prefix, Key("c", name)));
  EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
  // Versions of one name by their timestamps, negative ones first.
  EXPECT_LT(EncodeRowKey(prefix, Key("c", "n", -5)), EncodeRowKey(prefix, Key("c", "n", 3)));
  EXPECT_LT(EncodeRowKey(prefix, Key("c", "n", 3)), EncodeRowKey(prefix, Key("c", "n", 300)));
}

TEST(VersionRowKeyTest, AnotherAccountOrGarbageDoesNotDecode) {
  const std::string row = EncodeRowKey(RowKeyPrefix("AUTH_a"), Key("c", "o"));
  EXPECT_FALSE(DecodeRowKey(RowKeyPrefix("AUTH_b"), row).has_value());
  EXPECT_FALSE(DecodeRowKey(RowKeyPrefix("AUTH_"), row).has_value());
  EXPECT_FALSE(DecodeRowKey(RowKeyPrefix("AUTH_a"), row.substr(0, row.size() - 1)).has_value());
  EXPECT_FALSE(DecodeRowKey(RowKeyPrefix("AUTH_a"), row + "x").has_value());
  EXPECT_FALSE(DecodeRowKey(RowKeyPrefix("AUTH_a"), "3:AUTH_a1:c1:o").has_value());
}

}  // namespace
}  // namespace swiftfs::cache
