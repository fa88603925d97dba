#include "swift/header_parser.h"

#include <gtest/gtest.h>

#include "swiftfs/common/time_format.h"

namespace swiftfs::swift {
namespace {

http::Headers H(std::vector<std::pair<std::string, std::string>> fields) {
  http::Headers headers;
  for (auto& [name, value] : fields) headers.Add(name, value);
  return headers;
}

WallTime Epoch(int64_t seconds) { return WallTime(std::chrono::seconds(seconds)); }

TEST(HeaderParserTest, PlainObject) {
  auto info = ParseObjectHeaders("c/o", H({{"Content-Length", "42"},
                                           {"Etag", "0123456789abcdef0123456789abcdef"},
                                           {"Content-Type", "text/plain"},
                                           {"Last-Modified", "Sun, 29 Nov 2026 09:00:00 GMT"},
                                           {"X-Timestamp", "1764406799.12345"}}));
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->size, 42u);
  EXPECT_EQ(info->etag, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->last_modified, *ParseHttpDate("Sun, 29 Nov 2026 09:00:00 GMT"));
  EXPECT_EQ(info->timestamp, "1764406799.12345");
  EXPECT_FALSE(info->meta_mtime);
  EXPECT_FALSE(info->symlink_target);
  EXPECT_FALSE(info->is_dlo);
  EXPECT_FALSE(info->is_slo);
  EXPECT_TRUE(info->metadata.empty());
}

TEST(HeaderParserTest, QuotedManifestEtagsLoseTheirQuotes) {
  EXPECT_EQ(StripEtagQuotes("\"abc\""), "abc");
  EXPECT_EQ(StripEtagQuotes("abc"), "abc");
  EXPECT_EQ(StripEtagQuotes(" W/\"abc\" "), "abc");
  EXPECT_EQ(StripEtagQuotes("\""), "\"");
  EXPECT_EQ(StripEtagQuotes(""), "");
}

TEST(HeaderParserTest, MetadataNamesLowerCasedAndMtimeParsed) {
  auto info = ParseObjectHeaders("c/o", H({{"Content-Length", "0"},
                                           {"X-Object-Meta-Mtime", "1764406800.5"},
                                           {"x-object-meta-Color", "Blue"},
                                           {"X-Object-Meta-", "ignored"},
                                           {"X-Object-Sysmeta-Secret", "not metadata"}}));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->metadata,
            (std::map<std::string, std::string>{{"color", "Blue"}, {"mtime", "1764406800.5"}}));
  ASSERT_TRUE(info->meta_mtime);
  EXPECT_EQ(*info->meta_mtime, Epoch(1764406800) + std::chrono::milliseconds(500));
}

TEST(HeaderParserTest, OutOfRangeMtimeIsClamped) {
  auto late =
      ParseObjectHeaders("c/o", H({{"Content-Length", "1"}, {"X-Object-Meta-Mtime", "1e400"}}));
  ASSERT_TRUE(late.ok());
  ASSERT_TRUE(late->meta_mtime);
  EXPECT_EQ(*late->meta_mtime, Epoch(kMaxEpochSeconds));
  auto early =
      ParseObjectHeaders("c/o", H({{"Content-Length", "1"}, {"X-Object-Meta-Mtime", "-1"}}));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->meta_mtime, Epoch(0));
}

TEST(HeaderParserTest, UnparsableMtimeStaysMetadataOnly) {
  auto info =
      ParseObjectHeaders("c/o", H({{"Content-Length", "1"}, {"X-Object-Meta-Mtime", "yesterday"}}));
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->meta_mtime);
  EXPECT_EQ(info->metadata.at("mtime"), "yesterday");
}

TEST(HeaderParserTest, SymlinkTargetIsDecoded) {
  auto info = ParseObjectHeaders("c/l", H({{"Content-Length", "0"},
                                           {"X-Symlink-Target", "tgt/dir/a%20b%25"},
                                           {"Content-Type", "application/symlink"}}));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->symlink_target, "tgt/dir/a b%");
  EXPECT_FALSE(info->symlink_target_account);

  auto cross = ParseObjectHeaders("c/l", H({{"Content-Length", "0"},
                                            {"X-Symlink-Target", "c/o"},
                                            {"X-Symlink-Target-Account", "AUTH_other"}}));
  ASSERT_TRUE(cross.ok());
  EXPECT_EQ(cross->symlink_target_account, "AUTH_other");
}

TEST(HeaderParserTest, LargeObjects) {
  auto dlo = ParseObjectHeaders("c/d", H({{"Content-Length", "3000"},
                                          {"ETag", "\"d41d8cd98f00b204e9800998ecf8427e\""},
                                          {"X-Object-Manifest", "segs/d/"}}));
  ASSERT_TRUE(dlo.ok());
  EXPECT_TRUE(dlo->is_dlo);
  EXPECT_FALSE(dlo->is_slo);
  EXPECT_EQ(dlo->etag, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(dlo->size, 3000u);

  auto slo =
      ParseObjectHeaders("c/s", H({{"Content-Length", "5"}, {"X-Static-Large-Object", "True"}}));
  ASSERT_TRUE(slo.ok());
  EXPECT_TRUE(slo->is_slo);
  auto not_slo =
      ParseObjectHeaders("c/s", H({{"Content-Length", "5"}, {"X-Static-Large-Object", "False"}}));
  EXPECT_FALSE(not_slo->is_slo);
}

TEST(HeaderParserTest, LastModifiedFallsBackToTimestamp) {
  auto info = ParseObjectHeaders(
      "c/o", H({{"Content-Length", "1"}, {"Last-Modified", "garbage"}, {"X-Timestamp", "100.0"}}));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->last_modified, Epoch(100));
  auto none = ParseObjectHeaders("c/o", H({{"Content-Length", "1"}}));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->last_modified, WallTime{});
}

TEST(HeaderParserTest, ContentLengthIsRequiredAndNumeric) {
  auto missing = ParseObjectHeaders("c/o", H({{"ETag", "x"}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kBadResponse);
  EXPECT_EQ(missing.error().object, "c/o");
  for (const char* bad : {"", "-1", "12abc", "99999999999999999999999"}) {
    auto r = ParseObjectHeaders("c/o", H({{"Content-Length", bad}}));
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
    EXPECT_NE(r.error().message.find("Content-Length"), std::string::npos);
  }
}

TEST(HeaderParserTest, Account) {
  auto info = ParseAccountHeaders(H({{"X-Account-Bytes-Used", "1000"},
                                     {"X-Account-Object-Count", "7"},
                                     {"X-Account-Container-Count", "2"},
                                     {"X-Account-Meta-Quota-Bytes", "5000"}}));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->bytes_used, 1000u);
  EXPECT_EQ(info->object_count, 7u);
  EXPECT_EQ(info->container_count, 2u);
  EXPECT_EQ(info->quota_bytes, 5000u);

  auto bare = ParseAccountHeaders(H({}));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->bytes_used, 0u);
  EXPECT_FALSE(bare->quota_bytes);

  auto bad = ParseAccountHeaders(H({{"X-Account-Object-Count", "many"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadResponse);
}

TEST(HeaderParserTest, Container) {
  auto entry = ParseContainerHeaders("c", H({{"X-Container-Object-Count", "3"},
                                             {"X-Container-Bytes-Used", "30"},
                                             {"X-Timestamp", "200.5"}}));
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->name, "c");
  EXPECT_EQ(entry->object_count, 3u);
  EXPECT_EQ(entry->bytes, 30u);
  EXPECT_EQ(entry->last_modified, Epoch(200) + std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace swiftfs::swift
