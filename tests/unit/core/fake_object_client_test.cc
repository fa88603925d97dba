// The fake must list like Swift, or the core tests prove nothing about the real server.
#include "support/fake_object_client.h"

#include <gtest/gtest.h>

namespace swiftfs::testing {
namespace {

using swift::ListEntry;
using swift::ListRequest;

std::vector<std::string> Names(const swift::ListPage& page) {
  std::vector<std::string> names;
  for (const auto& e : page.entries) {
    names.push_back(e.kind == ListEntry::Kind::kSubdir ? "D:" + e.name : e.name);
  }
  return names;
}

ListRequest Dir(std::string prefix, std::string marker = {}, uint32_t limit = 10000) {
  ListRequest r;
  r.container = "c";
  r.prefix = std::move(prefix);
  r.delimiter = '/';
  r.marker = std::move(marker);
  r.limit = limit;
  return r;
}

class FakeObjectClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "a-b", "a/", "a/x", "a/y/z", "b", "b.txt", "c/d"}) {
      fake_.PutObject("c", name, name);
    }
  }
  FakeObjectClient fake_;
};

TEST(Md5HexTest, KnownDigests) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST_F(FakeObjectClientTest, DelimiterListingFoldsSubdirsInByteOrder) {
  auto page = fake_.ListObjects(Dir(""));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"a", "a-b", "D:a/", "b", "b.txt", "D:c/"}));
}

TEST_F(FakeObjectClientTest, PrefixListing) {
  auto page = fake_.ListObjects(Dir("a/"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"a/", "a/x", "D:a/y/"}));
}

TEST_F(FakeObjectClientTest, MarkerOnSubdirSkipsItsContents) {
  auto page = fake_.ListObjects(Dir("", "a/"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"b", "b.txt", "D:c/"}));
}

TEST_F(FakeObjectClientTest, MarkerInsideSubdirStillEmitsIt) {
  auto page = fake_.ListObjects(Dir("", "a/x"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"D:a/", "b", "b.txt", "D:c/"}));
}

TEST_F(FakeObjectClientTest, EndMarkerBoundsFlatAndDelimiterListings) {
  ListRequest flat;  // a lookup's probe of `a`: everything from `a` up to `a0`
  flat.container = "c";
  flat.prefix = "a";
  flat.end_marker = "a0";
  auto page = fake_.ListObjects(flat);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"a", "a-b", "a/", "a/x", "a/y/z"}));
  ListRequest dir = Dir("");
  dir.end_marker = "b";
  page = fake_.ListObjects(dir);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"a", "a-b", "D:a/"}));
}

TEST_F(FakeObjectClientTest, LimitAndPastTheEnd) {
  auto page = fake_.ListObjects(Dir("", "", 2));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Names(*page), (std::vector<std::string>{"a", "a-b"}));
  auto end = fake_.ListObjects(Dir("", "c/"));
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->entries.empty());
  EXPECT_EQ(fake_.list_objects_count(), 2u);
}

TEST_F(FakeObjectClientTest, GetRangeIfMatchAndEnd) {
  char buf[8];
  auto r = fake_.GetRange("c", "b.txt", 2, buf, Md5Hex("b.txt"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::string(buf, r->bytes), "txt");
  auto past = fake_.GetRange("c", "b.txt", 5, buf, "");
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(past->bytes, 0u);
  auto stale = fake_.GetRange("c", "b.txt", 0, buf, Md5Hex("other"));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(fake_.bytes_served(), 3u);
}

TEST_F(FakeObjectClientTest, DloListsZeroButHeadsFullSize) {
  FakeObjectOptions options;
  options.is_dlo = true;
  fake_.PutObject("c", "big", "0123456789", options);
  auto page = fake_.ListObjects(Dir("big"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].info.size, 0u);
  auto head = fake_.HeadObject("c", "big");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 10u);
  EXPECT_TRUE(head->is_dlo);
}

TEST_F(FakeObjectClientTest, FailNextThenRecover) {
  fake_.FailNext(FakeObjectClient::Op::kHeadObject, 2,
                 MakeError(ErrorCode::kServerError, "503", 503));
  EXPECT_EQ(fake_.HeadObject("c", "a").error().code, ErrorCode::kServerError);
  EXPECT_EQ(fake_.HeadObject("c", "a").error().code, ErrorCode::kServerError);
  EXPECT_TRUE(fake_.HeadObject("c", "a").ok());
  EXPECT_EQ(fake_.HeadObject("c", "zz").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.head_object_count(), 4u);
}

TEST_F(FakeObjectClientTest, AccountAndContainers) {
  fake_.CreateContainer("empty");
  fake_.SetQuota(1000);
  auto account = fake_.HeadAccount();
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->container_count, 2u);
  EXPECT_EQ(account->object_count, 8u);
  EXPECT_EQ(account->quota_bytes, 1000u);
  auto page = fake_.ListContainers("c", 10);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->containers.size(), 1u);
  EXPECT_EQ(page->containers[0].name, "empty");
  EXPECT_EQ(fake_.HeadContainer("nope").error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace swiftfs::testing
