// SwiftClient against the real local Swift: names, listings, HEAD fields, errors.
#include <algorithm>
#include <set>

#include "swift_integration_fixture.h"

namespace swiftfs::testing {
namespace {

using swift::ListEntry;
using swift::ListRequest;
using swift::WallTime;

// One name per character class the filesystem must carry byte for byte.
const std::vector<std::string>& OddNames() {
  static const std::vector<std::string> names = {
      "odd/with space",
      "odd/100%",
      "odd/hash#tag",
      "odd/what?",
      "odd/1+1=2",
      "odd/a&b",
      "odd/\"double\"",
      "odd/'single'",
      "odd/back\\slash",
      "odd/tab\there",
      "odd/-leading",
      "odd/caf\xc3\xa9",
      "odd/\xe6\x97\xa5\xe6\x9c\xac",
      "odd/double//slash",
      "odd/%2F not a slash",
      "odd/semi;colon,comma",
      "odd/~tilde_.dot",
  };
  return names;
}

class SwiftClientIntegrationTest : public SwiftIntegrationTest {};

TEST_F(SwiftClientIntegrationTest, OddNamesRoundTripThroughHeadListAndRead) {
  for (const auto& name : OddNames()) Put(name, "body of " + name);
  for (const auto& name : OddNames()) {
    auto info = client().HeadObject(container(), name);
    ASSERT_TRUE(info.ok()) << name << ": " << info.error().ToString();
    EXPECT_EQ(info->name, name);
    EXPECT_EQ(info->size, ("body of " + name).size()) << name;
    EXPECT_EQ(info->etag, Md5Hex("body of " + name)) << name;
    auto data = Read(name, 0, 4096);
    ASSERT_TRUE(data.ok()) << name << ": " << data.error().ToString();
    EXPECT_EQ(*data, "body of " + name);
  }
  std::set<std::string> listed;
  for (const auto& info : ListAll("odd/")) listed.insert(info.name);
  EXPECT_EQ(listed, std::set<std::string>(OddNames().begin(), OddNames().end()));
}

TEST_F(SwiftClientIntegrationTest, PaginationWithASmallLimit) {
  std::vector<std::string> names;
  for (int i = 0; i < 7; ++i) names.push_back("page/obj" + std::to_string(i));
  for (const auto& name : names) Put(name, "x");
  ListRequest request;
  request.container = container();
  request.prefix = "page/";
  request.limit = 3;
  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  while (true) {
    auto page = client().ListObjects(request);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    page_sizes.push_back(page->entries.size());
    for (const auto& entry : page->entries) seen.push_back(entry.name);
    if (page->entries.size() < request.limit) break;
    request.marker = page->entries.back().name;
  }
  EXPECT_EQ(seen, names);
  EXPECT_EQ(page_sizes, (std::vector<size_t>{3, 3, 1}));

  request.marker = "page/obj6";  // past the end: "[]"
  auto past = client().ListObjects(request);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->entries.empty());
}

TEST_F(SwiftClientIntegrationTest, DelimiterListingWithSubdirsAndADirectoryMarker) {
  Put("tree/a.txt", "a");
  Put("tree/marker", "", {{"Content-Type", "application/directory"}});
  Put("tree/marker/inside", "i");
  Put("tree/sub/x", "x");
  Put("tree/sub/y", "y");
  ListRequest request;
  request.container = container();
  request.prefix = "tree/";
  request.delimiter = '/';
  auto page = client().ListObjects(request);
  ASSERT_TRUE(page.ok()) << page.error().ToString();
  ASSERT_EQ(page->entries.size(), 4u);
  EXPECT_EQ(page->entries[0].name, "tree/a.txt");
  EXPECT_EQ(page->entries[0].kind, ListEntry::Kind::kObject);
  EXPECT_EQ(page->entries[0].info.size, 1u);
  EXPECT_EQ(page->entries[0].info.etag, Md5Hex("a"));
  EXPECT_GT(page->entries[0].info.last_modified, WallTime{});
  EXPECT_EQ(page->entries[1].name, "tree/marker");
  EXPECT_EQ(page->entries[1].kind, ListEntry::Kind::kObject);
  EXPECT_EQ(page->entries[1].info.content_type, "application/directory");
  EXPECT_EQ(page->entries[2].name, "tree/marker/");
  EXPECT_EQ(page->entries[2].kind, ListEntry::Kind::kSubdir);
  EXPECT_EQ(page->entries[3].name, "tree/sub/");
  EXPECT_EQ(page->entries[3].kind, ListEntry::Kind::kSubdir);
}

TEST_F(SwiftClientIntegrationTest, HeadObjectFields) {
  Put("head/meta", "hello",
      {{"Content-Type", "text/x-test"},
       {"X-Object-Meta-Mtime", "1700000000.25"},
       {"X-Object-Meta-Color", "Blue Sky"}});
  auto info = client().HeadObject(container(), "head/meta");
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->size, 5u);
  EXPECT_EQ(info->etag, Md5Hex("hello"));
  EXPECT_EQ(info->content_type, "text/x-test");
  ASSERT_TRUE(info->meta_mtime);
  EXPECT_EQ(*info->meta_mtime,
            WallTime(std::chrono::seconds(1700000000)) + std::chrono::milliseconds(250));
  EXPECT_EQ(info->metadata.at("color"), "Blue Sky");
  EXPECT_EQ(info->metadata.at("mtime"), "1700000000.25");
  EXPECT_FALSE(info->timestamp.empty());
  EXPECT_FALSE(info->is_dlo);
  EXPECT_FALSE(info->is_slo);
  EXPECT_FALSE(info->symlink_target);
  // Last-Modified is X-Timestamp rounded up to the second.
  const auto stamp = WallTime(std::chrono::seconds(std::stoll(info->timestamp)));
  EXPECT_GE(info->last_modified, stamp);
  EXPECT_LE(info->last_modified, stamp + std::chrono::seconds(1));
}

TEST_F(SwiftClientIntegrationTest, AccountContainerAndClusterInfo) {
  Put("acct/one", "1");
  auto account = client().HeadAccount();
  ASSERT_TRUE(account.ok()) << account.error().ToString();
  EXPECT_GE(account->container_count, 1u);

  auto entry = client().HeadContainer(container());
  ASSERT_TRUE(entry.ok()) << entry.error().ToString();
  EXPECT_EQ(entry->name, container());
  EXPECT_GE(entry->object_count, 1u);

  bool found = false;
  std::string marker;
  while (!found) {
    auto page = client().ListContainers(marker, 2);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    for (const auto& c : page->containers) found = found || c.name == container();
    if (page->containers.size() < 2) break;
    marker = page->containers.back().name;
  }
  EXPECT_TRUE(found) << container() << " missing from the account listing";

  auto info = client().GetClusterInfo();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->container_listing_limit, 10000u);
}

TEST_F(SwiftClientIntegrationTest, MissingThingsAreNotFound) {
  EXPECT_EQ(client().HeadObject(container(), "no/such/object").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Read("no/such/object", 0, 10).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(client().HeadContainer("swiftfs-no-such-container").error().code, ErrorCode::kNotFound);
  ListRequest request;
  request.container = "swiftfs-no-such-container";
  auto list = client().ListObjects(request);
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(list.error().object, "swiftfs-no-such-container");
}

TEST_F(SwiftClientIntegrationTest, CountersCountRequests) {
  Put("count/o", "abc");
  const uint64_t heads = shared_->counters.Get(Counter::kHeadRequests);
  const uint64_t gets = shared_->counters.Get(Counter::kGetRequests);
  const uint64_t bytes = shared_->counters.Get(Counter::kBytesFetched);
  ASSERT_TRUE(client().HeadObject(container(), "count/o").ok());
  ASSERT_EQ(*Read("count/o", 1, 10), "bc");
  EXPECT_EQ(shared_->counters.Get(Counter::kHeadRequests), heads + 1);
  EXPECT_EQ(shared_->counters.Get(Counter::kGetRequests), gets + 1);
  EXPECT_EQ(shared_->counters.Get(Counter::kBytesFetched), bytes + 2);
}

}  // namespace
}  // namespace swiftfs::testing
