#include "swiftfs/swift/swift_client.h"

#include "swift_client_fixture.h"

namespace swiftfs::swift {
namespace {

using testing::Reply;

ListRequest Listing(std::string container) {
  ListRequest request;
  request.container = std::move(container);
  return request;
}

std::string Url(std::string_view rest) { return std::string(kStorage) + std::string(rest); }

TEST_F(SwiftClientTest, HeadObjectUrlsOfOddNames) {
  struct Case {
    std::string name;
    std::string encoded;
  };
  const Case cases[] = {
      {"a b", "a%20b"},
      {"100%", "100%25"},
      {"x#y", "x%23y"},
      {"what?", "what%3F"},
      {"1+1", "1%2B1"},
      {"a&b=c", "a%26b%3Dc"},
      {"\"q\"'s", "%22q%22%27s"},
      {"back\\slash", "back%5Cslash"},
      {"tab\tname", "tab%09name"},
      {"-rf", "-rf"},
      {"\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9", "%E6%97%A5%E6%9C%AC/%C3%A9"},
      {"dir//double", "dir//double"},
  };
  http_.SetHandler([](const http::Request&) { return Reply(200, "", {{"Content-Length", "1"}}); });
  for (const Case& c : cases) {
    http_.ClearRequests();
    auto info = client_.HeadObject("my cont", c.name);
    ASSERT_TRUE(info.ok()) << c.name << ": " << info.error().ToString();
    EXPECT_EQ(info->name, c.name);
    const http::Request request = OnlyRequest();
    EXPECT_EQ(request.method, http::Method::kHead);
    EXPECT_EQ(request.url, Url("/my%20cont/" + c.encoded + "?symlink=get")) << c.name;
    EXPECT_EQ(request.headers.Get("X-Auth-Token"), "s3cr3t-token");
    EXPECT_GT(request.timeout.count(), 0);
  }
  EXPECT_EQ(counters_.Get(Counter::kHeadRequests), std::size(cases));
}

TEST_F(SwiftClientTest, HeadObjectParsesEverything) {
  http_.Enqueue(Reply(200, "",
                      {{"Content-Length", "0"},
                       {"ETag", "\"d41d8cd98f00b204e9800998ecf8427e\""},
                       {"Content-Type", "application/symlink"},
                       {"Last-Modified", "Sun, 29 Nov 2026 09:00:00 GMT"},
                       {"X-Timestamp", "1764406800.00000"},
                       {"X-Object-Meta-Mtime", "1700000000"},
                       {"X-Object-Meta-Owner", "Ann"},
                       {"X-Symlink-Target", "tgt/obj%20x"}}));
  auto info = client_.HeadObject("c", "link");
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->name, "link");
  EXPECT_EQ(info->etag, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(info->symlink_target, "tgt/obj x");
  EXPECT_EQ(info->metadata.at("owner"), "Ann");
  EXPECT_EQ(info->meta_mtime, WallTime(std::chrono::seconds(1700000000)));
  EXPECT_EQ(info->timestamp, "1764406800.00000");
}

TEST_F(SwiftClientTest, HeadObjectErrorsNameTheObject) {
  http_.Enqueue(Reply(404, "<html><h1>Not Found</h1><p>The resource could not be found.</p>"));
  auto info = client_.HeadObject("c", "dir/x y");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(info.error().object, "c/dir/x y");
  EXPECT_EQ(info.error().http_status, 404);
  EXPECT_NE(info.error().message.find("HEAD c/dir/x y: 404 Not Found"), std::string::npos);

  http_.Enqueue(Reply(200, "", {{"ETag", "x"}}));  // no Content-Length
  auto bad = client_.HeadObject("c", "o");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadResponse);
}

TEST_F(SwiftClientTest, StatusMappingThroughTheClient) {
  const std::pair<int, ErrorCode> cases[] = {
      {403, ErrorCode::kForbidden},   {429, ErrorCode::kTooManyRequests},
      {500, ErrorCode::kServerError}, {503, ErrorCode::kServerError},
      {408, ErrorCode::kTimeout},     {400, ErrorCode::kBadResponse},
      {409, ErrorCode::kConflict},
  };
  for (const auto& [status, code] : cases) {
    http_.Enqueue(Reply(status));
    auto r = client_.HeadContainer("c");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code) << status;
    EXPECT_EQ(r.error().http_status, status);
    EXPECT_EQ(r.error().object, "c");
  }
}

TEST_F(SwiftClientTest, TransportErrorsPassThroughWithTheObject) {
  http_.Enqueue(MakeError(ErrorCode::kTimeout, "HEAD /v1/AUTH_test/c/o: timed out"));
  auto r = client_.HeadObject("c", "o");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(r.error().object, "c/o");
}

TEST_F(SwiftClientTest, AuthenticationFailureIsReported) {
  tokens_.SetError(MakeError(ErrorCode::kUnauthorized, "bad password"));
  auto r = client_.HeadAccount();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(http_.RequestCount(), 0u);
}

TEST_F(SwiftClientTest, A401IsRetriedOnceWithANewTokenAndCountedTwice) {
  http_.Enqueue(Reply(401));
  http_.Enqueue(Reply(204, "", {{"X-Account-Object-Count", "5"}}));
  auto r = client_.HeadAccount();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->object_count, 5u);
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.Get("X-Auth-Token"), "s3cr3t-token");
  EXPECT_NE(requests[1].headers.Get("X-Auth-Token"), "s3cr3t-token");
  EXPECT_EQ(counters_.Get(Counter::kHeadRequests), 2u);
  EXPECT_FALSE(logger_.Contains("s3cr3t"));
}

TEST_F(SwiftClientTest, HeadAccount) {
  http_.Enqueue(Reply(204, "",
                      {{"X-Account-Bytes-Used", "1234"},
                       {"X-Account-Object-Count", "5"},
                       {"X-Account-Container-Count", "2"},
                       {"X-Account-Meta-Quota-Bytes", "10000"}}));
  auto info = client_.HeadAccount();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->bytes_used, 1234u);
  EXPECT_EQ(info->container_count, 2u);
  EXPECT_EQ(info->quota_bytes, 10000u);
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.method, http::Method::kHead);
  EXPECT_EQ(request.url, kStorage);
}

TEST_F(SwiftClientTest, ListContainersQuery) {
  http_.Enqueue(Reply(200, R"([{"name": "a", "count": 1, "bytes": 2}])"));
  auto page = client_.ListContainers("", 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->containers.size(), 1u);
  EXPECT_EQ(OnlyRequest().url, Url("?format=json&limit=100"));

  http_.ClearRequests();
  http_.Enqueue(Reply(204));
  auto end = client_.ListContainers("caf\xc3\xa9 &x", 10);
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->containers.empty());
  EXPECT_EQ(OnlyRequest().url, Url("?format=json&limit=10&marker=caf%C3%A9%20%26x"));
  EXPECT_EQ(counters_.Get(Counter::kListRequests), 2u);
}

TEST_F(SwiftClientTest, HeadContainer) {
  http_.Enqueue(
      Reply(204, "", {{"X-Container-Object-Count", "9"}, {"X-Container-Bytes-Used", "90"}}));
  auto entry = client_.HeadContainer("c/x");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->name, "c/x");
  EXPECT_EQ(entry->object_count, 9u);
  EXPECT_EQ(OnlyRequest().url, Url("/c%2Fx"));
}

TEST_F(SwiftClientTest, ListObjectsQueryStrings) {
  http_.SetHandler([](const http::Request&) { return Reply(200, "[]"); });
  ListRequest flat;
  flat.container = "c";
  ASSERT_TRUE(client_.ListObjects(flat).ok());
  EXPECT_EQ(http_.Requests().back().url, Url("/c?format=json&limit=10000"));

  ListRequest dir;
  dir.container = "my c";
  dir.prefix = "a b/#?&+%/";
  dir.delimiter = '/';
  dir.marker = "a b/#?&+%/z\xc3\xa9";
  dir.limit = 3;
  ASSERT_TRUE(client_.ListObjects(dir).ok());
  EXPECT_EQ(http_.Requests().back().url,
            Url("/my%20c?format=json&limit=3&prefix=a%20b%2F%23%3F%26%2B%25%2F&delimiter=%2F"
                "&marker=a%20b%2F%23%3F%26%2B%25%2Fz%C3%A9"));

  ListRequest bounded;  // a lookup's probe: the names from `a b` up to `a b0`
  bounded.container = "c";
  bounded.prefix = "a b";
  bounded.end_marker = "a b0";
  bounded.limit = 100;
  ASSERT_TRUE(client_.ListObjects(bounded).ok());
  EXPECT_EQ(http_.Requests().back().url,
            Url("/c?format=json&limit=100&prefix=a%20b&end_marker=a%20b0"));
  EXPECT_EQ(counters_.Get(Counter::kListRequests), 3u);
}

TEST_F(SwiftClientTest, ListObjectsReplies) {
  http_.Enqueue(Reply(200, R"([{"subdir": "d/"}, {"name": "f", "bytes": 3}])"));
  auto page = client_.ListObjects(Listing("c"));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[1].info.size, 3u);

  http_.Enqueue(Reply(204));
  auto empty = client_.ListObjects(Listing("c"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());

  http_.Enqueue(Reply(200, "<html><body>Service Unavailable</body></html>"));
  auto html = client_.ListObjects(Listing("c"));
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().code, ErrorCode::kBadResponse);

  http_.Enqueue(Reply(404, "<html><h1>Not Found</h1></html>"));
  auto missing = client_.ListObjects(Listing("gone"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().object, "gone");
}

TEST_F(SwiftClientTest, ClusterInfoIsPublicAndOptional) {
  http_.Enqueue(Reply(200, R"({"swift": {"container_listing_limit": 2000}})"));
  auto info = client_.GetClusterInfo();
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->container_listing_limit, 2000u);
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.url, "http://swift.test:8080/info");
  EXPECT_FALSE(request.headers.Has("X-Auth-Token"));
  EXPECT_EQ(counters_.Get(Counter::kOtherRequests), 1u);

  http_.Enqueue(Reply(404));
  EXPECT_EQ(client_.GetClusterInfo()->container_listing_limit, 10000u);
  http_.Enqueue(MakeError(ErrorCode::kConnectionFailed, "refused"));
  EXPECT_EQ(client_.GetClusterInfo()->container_listing_limit, 10000u);
  http_.Enqueue(Reply(200, "not json"));
  EXPECT_EQ(client_.GetClusterInfo()->container_listing_limit, 10000u);
  EXPECT_TRUE(logger_.Contains("/info"));
}

}  // namespace
}  // namespace swiftfs::swift
