#include "swift/swift_urls.h"

#include <gtest/gtest.h>

namespace swiftfs::swift {
namespace {

constexpr char kStorage[] = "http://h:8080/v1/AUTH_x";

TEST(SwiftUrlsTest, ObjectNamesKeepSlashesAndEncodeEverythingElse) {
  EXPECT_EQ(ObjectUrl(kStorage, "c", "a/b c.txt"), "http://h:8080/v1/AUTH_x/c/a/b%20c.txt");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "100%"), "http://h:8080/v1/AUTH_x/c/100%25");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "a#b?c+d&e"), "http://h:8080/v1/AUTH_x/c/a%23b%3Fc%2Bd%26e");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "q\"'\\"), "http://h:8080/v1/AUTH_x/c/q%22%27%5C");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "tab\there"), "http://h:8080/v1/AUTH_x/c/tab%09here");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "-leading"), "http://h:8080/v1/AUTH_x/c/-leading");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "caf\xc3\xa9"), "http://h:8080/v1/AUTH_x/c/caf%C3%A9");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "a//b"), "http://h:8080/v1/AUTH_x/c/a//b");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "/lead"), "http://h:8080/v1/AUTH_x/c//lead");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "trail/"), "http://h:8080/v1/AUTH_x/c/trail/");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "~_.-"), "http://h:8080/v1/AUTH_x/c/~_.-");
}

TEST(SwiftUrlsTest, DotSegmentsCannotBeCollapsed) {
  EXPECT_EQ(ObjectUrl(kStorage, "c", "a/../b"), "http://h:8080/v1/AUTH_x/c/a/%2E%2E/b");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "./x"), "http://h:8080/v1/AUTH_x/c/%2E/x");
  EXPECT_EQ(ObjectUrl(kStorage, "c", "..."), "http://h:8080/v1/AUTH_x/c/...");
  EXPECT_EQ(ObjectUrl(kStorage, "c", ".hidden"), "http://h:8080/v1/AUTH_x/c/.hidden");
  EXPECT_EQ(ContainerUrl(kStorage, ".."), "http://h:8080/v1/AUTH_x/%2E%2E");
}

TEST(SwiftUrlsTest, ContainerNamesAreFullyEncoded) {
  EXPECT_EQ(ContainerUrl(kStorage, "my container/x"), "http://h:8080/v1/AUTH_x/my%20container%2Fx");
  EXPECT_EQ(ObjectUrl(kStorage, "c#1", "o"), "http://h:8080/v1/AUTH_x/c%231/o");
}

TEST(SwiftUrlsTest, QueryStringEncodesNamesAndValuesInOrder) {
  EXPECT_EQ(QueryString().str(), "");
  EXPECT_EQ(QueryString().Add("format", "json").Add("prefix", "a b/&c=d").str(),
            "?format=json&prefix=a%20b%2F%26c%3Dd");
  EXPECT_EQ(QueryString().Add("marker", "caf\xc3\xa9+%").str(), "?marker=caf%C3%A9%2B%25");
}

TEST(SwiftUrlsTest, InfoUrlIsBeforeTheVersion) {
  EXPECT_EQ(InfoUrl("http://h:8080/v1/AUTH_x"), "http://h:8080/info");
  EXPECT_EQ(InfoUrl("https://h/swift/v1/AUTH_x"), "https://h/swift/info");
  EXPECT_EQ(InfoUrl("https://h:443/object-store"), "https://h:443/info");
  EXPECT_EQ(InfoUrl("https://h"), "https://h/info");
  EXPECT_EQ(InfoUrl("no-scheme/v1/AUTH_x"), std::nullopt);
}

TEST(SwiftUrlsTest, PercentDecodeKeepsBrokenEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc%C3%A9"), "a b/c\xc3\xa9");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%2525"), "%25");
}

TEST(SwiftUrlsTest, SymlinkPathBecomesAccountAndTarget) {
  const auto link = ParseSymlinkPath("/v1/AUTH_x/c/dir/o%20x");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->account, "AUTH_x");
  EXPECT_EQ(link->target, "c/dir/o x");
  EXPECT_EQ(ParseSymlinkPath("/v1/AUTH_x/c/a//b")->target, "c/a//b");
  EXPECT_EQ(ParseSymlinkPath("/v1/AUTH_%C3%A9/c/o")->account, "AUTH_\xc3\xa9");
  for (const char* bad : {"/v1/AUTH_x/c", "/v1/AUTH_x/c/", "v1/AUTH_x/c/o", "", "/v1//c/o",
                          "//AUTH_x/c/o", "/v1/AUTH_x//o"}) {
    EXPECT_FALSE(ParseSymlinkPath(bad)) << bad;
  }
}

TEST(SwiftUrlsTest, AccountOfStorageUrl) {
  EXPECT_EQ(AccountOfStorageUrl("http://h:8080/v1/AUTH_x"), "AUTH_x");
  EXPECT_EQ(AccountOfStorageUrl("http://h:8080/v1/AUTH_x/"), "AUTH_x");
  EXPECT_EQ(AccountOfStorageUrl("http://h/v1/AUTH_a%20b"), "AUTH_a b");
  EXPECT_EQ(AccountOfStorageUrl("http://h"), "");
}

}  // namespace
}  // namespace swiftfs::swift
