#include <gtest/gtest.h>

#include <string>

#include "swiftfs/http/http_client.h"

namespace swiftfs::http {
namespace {

TEST(PercentEncodeTest, KeepsUnreservedCharacters) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(PercentEncode(unreserved, false), unreserved);
  EXPECT_EQ(PercentEncode(unreserved, true), unreserved);
}

TEST(PercentEncodeTest, EncodesReservedAndSpecialBytes) {
  EXPECT_EQ(PercentEncode(" ", false), "%20");
  EXPECT_EQ(PercentEncode("%", false), "%25");
  EXPECT_EQ(PercentEncode("#", false), "%23");
  EXPECT_EQ(PercentEncode("?", false), "%3F");
  EXPECT_EQ(PercentEncode("+", false), "%2B");
  EXPECT_EQ(PercentEncode("&", false), "%26");
  EXPECT_EQ(PercentEncode("=", false), "%3D");
  EXPECT_EQ(PercentEncode("\"'", false), "%22%27");
  EXPECT_EQ(PercentEncode("\\", false), "%5C");
  EXPECT_EQ(PercentEncode("\t\r\n", false), "%09%0D%0A");
  EXPECT_EQ(PercentEncode(":@;,", false), "%3A%40%3B%2C");
  EXPECT_EQ(PercentEncode("<>[]{}|^`", false), "%3C%3E%5B%5D%7B%7D%7C%5E%60");
}

TEST(PercentEncodeTest, EncodesUtf8ByteByByteInUppercaseHex) {
  EXPECT_EQ(PercentEncode("caf\xC3\xA9", false), "caf%C3%A9");
  EXPECT_EQ(PercentEncode("\xE2\x82\xAC", false), "%E2%82%AC");  // euro sign
}

TEST(PercentEncodeTest, EncodesNulAndHighBytes) {
  EXPECT_EQ(PercentEncode(std::string("a\0b", 3), false), "a%00b");
  EXPECT_EQ(PercentEncode("\x7F\x80\xFF", false), "%7F%80%FF");
}

TEST(PercentEncodeTest, SlashKeptOnlyWhenAsked) {
  EXPECT_EQ(PercentEncode("dir/sub dir/file", true), "dir/sub%20dir/file");
  EXPECT_EQ(PercentEncode("dir/sub dir/file", false), "dir%2Fsub%20dir%2Ffile");
  EXPECT_EQ(PercentEncode("//", true), "//");
  EXPECT_EQ(PercentEncode("a/../b", true), "a/../b");
}

TEST(PercentEncodeTest, EmptyInput) { EXPECT_EQ(PercentEncode("", true), ""); }

TEST(PercentEncodeTest, EveryByteRoundTrips) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const std::string encoded = PercentEncode(all, false);
  std::string decoded;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%') {
      decoded.push_back(static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      decoded.push_back(encoded[i]);
    }
  }
  EXPECT_EQ(decoded, all);
}

TEST(UrlForLogTest, DropsSchemeQueryAndFragment) {
  EXPECT_EQ(UrlForLog("https://swift.example.com:8080/v1/AUTH_a/c/o?temp_url_sig=abc#x"),
            "swift.example.com:8080/v1/AUTH_a/c/o");
  EXPECT_EQ(UrlForLog("http://h/p#frag"), "h/p");
}

TEST(UrlForLogTest, DropsUserInfo) {
  EXPECT_EQ(UrlForLog("https://user:s3cret@host/path"), "host/path");
  EXPECT_EQ(UrlForLog("https://a@b:pw@host/"), "host/");
}

TEST(UrlForLogTest, HostOnlyAndQueryWithoutPath) {
  EXPECT_EQ(UrlForLog("http://127.0.0.1:5000"), "127.0.0.1:5000");
  EXPECT_EQ(UrlForLog("http://host?token=x"), "host");
}

TEST(UrlForLogTest, NotAnAbsoluteUrl) {
  EXPECT_EQ(UrlForLog("/relative/path?q=1"), "/relative/path");
  EXPECT_EQ(UrlForLog(""), "");
}

}  // namespace
}  // namespace swiftfs::http
