#include "swift/listing_parser.h"

#include <gtest/gtest.h>

#include "swiftfs/common/time_format.h"

namespace swiftfs::swift {
namespace {

TEST(ListingParserTest, ObjectsSubdirsAndSymlinks) {
  auto page = ParseObjectListing(R"([
    {"subdir": "dir/"},
    {"name": "dir", "bytes": 0, "hash": "d41d8cd98f00b204e9800998ecf8427e",
     "last_modified": "2026-11-29T09:00:00.123450", "content_type": "application/directory"},
    {"name": "f \"1\".txt", "bytes": 12345678901, "hash": "abc",
     "last_modified": "2026-11-29T09:00:01", "content_type": "text/plain"},
    {"name": "link", "bytes": 0, "hash": "d41d8cd98f00b204e9800998ecf8427e",
     "last_modified": "2026-11-29T09:00:02.000000", "content_type": "application/symlink",
     "symlink_path": "/v1/AUTH_x/other/a%20b"}
  ])",
                                 "c");
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  ASSERT_EQ(page->entries.size(), 4u);
  EXPECT_EQ(page->entries[0].kind, ListEntry::Kind::kSubdir);
  EXPECT_EQ(page->entries[0].name, "dir/");

  const ListEntry& marker = page->entries[1];
  EXPECT_EQ(marker.kind, ListEntry::Kind::kObject);
  EXPECT_EQ(marker.name, "dir");
  EXPECT_EQ(marker.info.name, "dir");
  EXPECT_EQ(marker.info.content_type, "application/directory");
  EXPECT_EQ(marker.info.last_modified, *ParseIso8601("2026-11-29T09:00:00.12345Z"));

  const ListEntry& file = page->entries[2];
  EXPECT_EQ(file.name, "f \"1\".txt");
  EXPECT_EQ(file.info.size, 12345678901u);
  EXPECT_EQ(file.info.etag, "abc");
  EXPECT_FALSE(file.info.symlink_target);

  EXPECT_EQ(page->entries[3].info.symlink_target, "other/a b");
}

TEST(ListingParserTest, SloEntriesCarryTheEtagOfTheAssembledObject) {
  // As Swift 2.30 lists an SLO: "hash" is the manifest's MD5, which If-Match rejects.
  auto page = ParseObjectListing(
      R"([{"bytes": 20, "hash": "92f8ee78167839ce200d5547e2006eb7", "name": "slo",
           "content_type": "application/octet-stream",
           "last_modified": "2026-11-29T09:17:38.243820",
           "slo_etag": "\"53b8bdade5736762db016caf4d72c1b4\""}])",
      "c");
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  EXPECT_EQ(page->entries[0].info.etag, "53b8bdade5736762db016caf4d72c1b4");
  EXPECT_EQ(page->entries[0].info.size, 20u);
}

TEST(ListingParserTest, CrossAccountSymlinksAreMarked) {
  const char* body = R"([{"name": "here", "symlink_path": "/v1/AUTH_me/c/o"},
                         {"name": "there", "symlink_path": "/v1/AUTH_other/c/o"}])";
  auto page = ParseObjectListing(body, "c", "AUTH_me");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->entries[0].info.symlink_target, "c/o");
  EXPECT_FALSE(page->entries[0].info.symlink_target_account);
  EXPECT_EQ(page->entries[1].info.symlink_target, "c/o");
  EXPECT_EQ(page->entries[1].info.symlink_target_account, "AUTH_other");
}

TEST(ListingParserTest, MissingOptionalFieldsDefault) {
  auto page = ParseObjectListing(R"([{"name": "x"}, {"name": "y", "hash": null}])", "c");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].info.size, 0u);
  EXPECT_EQ(page->entries[0].info.etag, "");
  EXPECT_EQ(page->entries[0].info.last_modified, WallTime{});
}

TEST(ListingParserTest, EmptyListings) {
  for (const char* body : {"[]", "", "  \n"}) {
    auto page = ParseObjectListing(body, "c");
    ASSERT_TRUE(page.ok()) << body;
    EXPECT_TRUE(page->entries.empty());
  }
}

TEST(ListingParserTest, MalformedInputIsABadResponseNeverACrash) {
  const char* bodies[] = {
      "[{\"name\": \"x\"",                       // truncated
      "<html><h1>Bad Gateway</h1></html>",       // proxy error page with a 200
      "{\"name\": \"x\"}",                       // not an array
      "[1, 2]",                                  // entries not objects
      "[{\"bytes\": 1}]",                        // no name
      "[{\"name\": 7}]",                         // name not a string
      "[{\"name\": \"x\", \"bytes\": \"12\"}]",  // bytes as a string
      "[{\"name\": \"x\", \"bytes\": -3}]",      // negative size
      "[{\"name\": \"x\", \"bytes\": 1.5}]",     // fractional size
      "[{\"name\": \"x\", \"last_modified\": \"yesterday\"}]",
      "[{\"name\": \"x\", \"symlink_path\": \"nonsense\"}]",
      "[{\"subdir\": 5}]",
      "\xff\xfe[]",
  };
  for (const char* body : bodies) {
    auto page = ParseObjectListing(body, "cont");
    ASSERT_FALSE(page.ok()) << body;
    EXPECT_EQ(page.error().code, ErrorCode::kBadResponse) << body;
    EXPECT_EQ(page.error().object, "cont");
    EXPECT_NE(page.error().message.find("GET cont: malformed listing"), std::string::npos)
        << page.error().message;
  }
}

TEST(ListingParserTest, HtmlPageMessageShowsItsStart) {
  auto page = ParseObjectListing("<html>\n<body>oops</body></html>", "c");
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.error().message.find("starts with '<html> <body>oops"), std::string::npos)
      << page.error().message;
}

TEST(ListingParserTest, Containers) {
  auto page = ParseContainerListing(
      R"([{"name": "a b", "count": 3, "bytes": 30, "last_modified": "2026-11-29T09:00:00.000000"},
          {"name": "c"}])");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->containers.size(), 2u);
  EXPECT_EQ(page->containers[0].name, "a b");
  EXPECT_EQ(page->containers[0].object_count, 3u);
  EXPECT_EQ(page->containers[0].bytes, 30u);
  EXPECT_TRUE(page->containers[0].last_modified);
  EXPECT_FALSE(page->containers[1].last_modified);
  EXPECT_FALSE(ParseContainerListing("[{\"count\": 1}]").ok());
  EXPECT_TRUE(ParseContainerListing("[]")->containers.empty());
}

TEST(ListingParserTest, ClusterInfo) {
  auto info = ParseClusterInfo(R"({"swift": {"container_listing_limit": 500, "version": "2.30"}})");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->container_listing_limit, 500u);
  EXPECT_EQ(ParseClusterInfo(R"({"tempurl": {}})")->container_listing_limit, 10000u);
  EXPECT_FALSE(ParseClusterInfo("nope").ok());
  EXPECT_FALSE(ParseClusterInfo(R"({"swift": {"container_listing_limit": 0}})").ok());
  EXPECT_FALSE(ParseClusterInfo(R"({"swift": {"container_listing_limit": "10"}})").ok());
}

// The write path sizes its segments and its largest single PUT from these.
TEST(ListingParserTest, ClusterInfoWriteLimits) {
  // Swift 2.30's /info, trimmed to the fields that matter.
  auto info = ParseClusterInfo(R"({
      "swift": {"max_file_size": 5368709122, "container_listing_limit": 10000},
      "slo": {"max_manifest_segments": 1000, "max_manifest_size": 8388608,
              "yield_frequency": 10, "min_segment_size": 1, "allow_async_delete": false}})");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->max_file_size, 5368709122u);
  EXPECT_TRUE(info->slo_enabled);
  EXPECT_EQ(info->slo_max_manifest_segments, 1000u);
  EXPECT_EQ(info->slo_max_manifest_size, 8388608u);
  EXPECT_EQ(info->slo_min_segment_size, 1u);

  auto custom = ParseClusterInfo(R"({"swift": {"max_file_size": 1048576},
      "slo": {"max_manifest_segments": 50, "min_segment_size": 1048576}})");
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->max_file_size, 1048576u);
  EXPECT_EQ(custom->slo_max_manifest_segments, 50u);
  EXPECT_EQ(custom->slo_max_manifest_size, 8u * 1024 * 1024);  // absent: default
  EXPECT_EQ(custom->slo_min_segment_size, 1048576u);

  auto no_slo = ParseClusterInfo(R"({"swift": {"max_file_size": 100}})");
  ASSERT_TRUE(no_slo.ok());
  EXPECT_FALSE(no_slo->slo_enabled);
  EXPECT_FALSE(ParseClusterInfo(R"({"swift": {"max_file_size": -1}})").ok());
  EXPECT_FALSE(ParseClusterInfo(R"({"slo": {"max_manifest_segments": 0}})").ok());
  EXPECT_FALSE(ParseClusterInfo(R"({"slo": {"max_manifest_segments": 5000000000}})").ok());
}

}  // namespace
}  // namespace swiftfs::swift
