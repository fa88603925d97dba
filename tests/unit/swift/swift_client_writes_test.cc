// SwiftClient's write verbs against a FakeHttpClient: the request each sends (URL, query,
// headers, body) and how each of Swift 2.30's answers, recorded from the local cluster,
// becomes a value or an ErrorCode.
#include "swift_client_fixture.h"
#include "swiftfs/swift/swift_client.h"

namespace swiftfs::swift {
namespace {

using testing::Reply;

std::string Url(std::string_view rest) { return std::string(kStorage) + std::string(rest); }

std::span<const char> Bytes(std::string_view text) { return {text.data(), text.size()}; }

ObjectWrite Write(std::string container, std::string name) {
  ObjectWrite write;
  write.container = std::move(container);
  write.name = std::move(name);
  return write;
}

// What Swift sends back to a heartbeat manifest PUT or a manifest DELETE (202/200 first,
// whitespace while it works, then the outcome as JSON).
http::Response Heartbeat(int status, const std::string& json) {
  return Reply(status, " \n\n" + json, {{"Content-Type", "application/json"}});
}

TEST_F(SwiftClientTest, UploadObjectSendsBodyEtagMetadataAndIfNoneMatch) {
  http_.Enqueue(Reply(201, "",
                      {{"Etag", "5d41402abc4b2a76b9719d911017c592"},
                       {"Last-Modified", "Tue, 01 Dec 2026 20:58:39 GMT"}}));
  ObjectWrite write = Write("my cont", "dir/a b");
  write.etag = "5d41402abc4b2a76b9719d911017c592";
  write.content_type = "text/plain";
  write.metadata = {{"Mtime", "1700000000.5"}};
  write.if_none_match = true;
  const std::string data = "hello";
  auto result = client_.UploadObject(write, Bytes(data));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, "5d41402abc4b2a76b9719d911017c592");
  ASSERT_TRUE(result->last_modified.has_value());

  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.method, http::Method::kPut);
  EXPECT_EQ(request.url, Url("/my%20cont/dir/a%20b"));
  EXPECT_EQ(request.body, "hello");  // the fake copies the body_view's bytes
  EXPECT_EQ(request.headers.Get("ETag"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(request.headers.Get("Content-Type"), "text/plain");
  EXPECT_EQ(request.headers.Get("X-Object-Meta-Mtime"), "1700000000.5");
  EXPECT_EQ(request.headers.Get("If-None-Match"), "*");
  EXPECT_EQ(request.headers.Get("X-Auth-Token"), "s3cr3t-token");
  EXPECT_EQ(request.timeout.count(), 0);  // a large body is bounded by the low-speed abort
  EXPECT_EQ(counters_.Get(Counter::kPutRequests), 1u);
  EXPECT_EQ(counters_.Get(Counter::kBytesUploaded), 5u);
}

TEST_F(SwiftClientTest, UploadObjectWithoutOptionsSendsNoOptionalHeaders) {
  http_.Enqueue(Reply(201));
  ASSERT_TRUE(client_.UploadObject(Write("c", "o"), {}).ok());
  const http::Request request = OnlyRequest();
  EXPECT_FALSE(request.headers.Has("ETag"));
  EXPECT_FALSE(request.headers.Has("If-None-Match"));
  EXPECT_FALSE(request.headers.Has("Content-Type"));
  EXPECT_EQ(request.body, "");
}

TEST_F(SwiftClientTest, UploadObjectStatusesBecomeWriteErrors) {
  struct Case {
    http::Response reply;
    bool if_none_match;
    ErrorCode code;
  };
  const Case cases[] = {
      {Reply(422,
             "<html><h1>Unprocessable Entity</h1><p>Unable to process the contained "
             "instructions</p></html>"),
       false, ErrorCode::kChecksumMismatch},
      {Reply(412, "<html><h1>Precondition Failed</h1></html>"), true, ErrorCode::kExists},
      {Reply(412, ""), false, ErrorCode::kPreconditionFailed},
      {Reply(413, "Upload exceeds quota."), false, ErrorCode::kQuotaExceeded},
      {Reply(413, "Your request is too large."), false, ErrorCode::kTooLarge},
      {Reply(507, ""), false, ErrorCode::kNoSpace},
      {Reply(404, ""), false, ErrorCode::kNotFound},
      {Reply(503, ""), false, ErrorCode::kServerError},
  };
  for (const Case& c : cases) {
    http_.Enqueue(c.reply);
    ObjectWrite write = Write("c", "o");
    write.if_none_match = c.if_none_match;
    auto result = client_.UploadObject(write, Bytes("x"));
    ASSERT_FALSE(result.ok()) << c.reply.status;
    EXPECT_EQ(result.error().code, c.code) << c.reply.status << ": " << result.error().ToString();
    EXPECT_EQ(result.error().http_status, c.reply.status);
    EXPECT_EQ(result.error().object, "c/o");
  }
}

std::vector<SloSegment> TwoSegments() {
  return {SloSegment{.path = "c_segments/big/0001",
                     .etag = "74b87337454200d4d33f80c4663dc5e5",
                     .size_bytes = 4,
                     .range = std::nullopt},
          SloSegment{.path = "c_segments/big/0002",
                     .etag = "65ba841e01d6db7733e90a5b7f9e6f80",
                     .size_bytes = 4,
                     .range = std::pair<uint64_t, uint64_t>(1, 2)}};
}

TEST_F(SwiftClientTest, UploadManifestSendsJsonWithHeartbeatAndReadsTheOutcomeFromTheBody) {
  http_.Enqueue(Heartbeat(202, R"({"Response Status": "201 Created",
      "Etag": "\"8c39aab0ee132c93b93f9cf0ed132353\"",
      "Last Modified": "Tue, 01 Dec 2026 20:58:39 GMT", "Response Body": "", "Errors": []})"));
  ObjectWrite write = Write("c", "big");
  write.metadata = {{"mtime", "12"}};
  auto result = client_.UploadManifest(write, TwoSegments());
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, "8c39aab0ee132c93b93f9cf0ed132353");
  ASSERT_TRUE(result->last_modified.has_value());

  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.method, http::Method::kPut);
  EXPECT_EQ(request.url, Url("/c/big?multipart-manifest=put&heartbeat=on"));
  EXPECT_EQ(request.headers.Get("Accept"), "application/json");
  EXPECT_EQ(request.headers.Get("X-Object-Meta-mtime"), "12");
  EXPECT_TRUE(request.slow_reply);
  EXPECT_GT(request.timeout.count(), 0);
  EXPECT_EQ(request.body,
            R"([{"etag":"74b87337454200d4d33f80c4663dc5e5","path":"/c_segments/big/0001",)"
            R"("size_bytes":4},{"etag":"65ba841e01d6db7733e90a5b7f9e6f80",)"
            R"("path":"/c_segments/big/0002","range":"1-2","size_bytes":4}])");
  EXPECT_EQ(counters_.Get(Counter::kPutRequests), 1u);
  EXPECT_EQ(counters_.Get(Counter::kBytesUploaded), 0u);
}

TEST_F(SwiftClientTest, UploadManifestRefusedSegmentsAreInvalidArgumentNamingThem) {
  http_.Enqueue(Heartbeat(202, R"({"Response Status": "400 Bad Request",
      "Response Body": "Bad Request\nThe server could not comply with the request",
      "Errors": [["/c_segments/big/0002", "404 Not Found"],
                 ["/c_segments/big/0001", "Etag Mismatch"]]})"));
  auto result = client_.UploadManifest(Write("c", "big"), TwoSegments());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_NE(result.error().message.find("/c_segments/big/0002, 404 Not Found"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find("Etag Mismatch"), std::string::npos);

  // Without a heartbeat body (a proxy that answered at once) the 400 means the same.
  http_.Enqueue(Reply(400, "Errors:\n/c_segments/big/0002, 404 Not Found\n"));
  result = client_.UploadManifest(Write("c", "big"), TwoSegments());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SwiftClientTest, UploadManifestOutcomesInTheBody) {
  struct Case {
    std::string status;
    bool if_none_match;
    ErrorCode code;
  };
  const Case cases[] = {
      {"412 Precondition Failed", true, ErrorCode::kExists},
      {"422 Unprocessable Entity", false, ErrorCode::kChecksumMismatch},
      {"413 Request Entity Too Large", false, ErrorCode::kTooLarge},
      {"503 Service Unavailable", false, ErrorCode::kServerError},
  };
  for (const Case& c : cases) {
    http_.Enqueue(Heartbeat(
        202, R"({"Response Status": ")" + c.status + R"(", "Response Body": "", "Errors": []})"));
    ObjectWrite write = Write("c", "big");
    write.if_none_match = c.if_none_match;
    write.etag = "00000000000000000000000000000000";
    auto result = client_.UploadManifest(write, TwoSegments());
    ASSERT_FALSE(result.ok()) << c.status;
    EXPECT_EQ(result.error().code, c.code) << c.status << ": " << result.error().ToString();
  }
  // The quota middleware answers before the heartbeat starts.
  http_.Enqueue(Reply(413, "Upload exceeds quota."));
  EXPECT_EQ(client_.UploadManifest(Write("c", "big"), TwoSegments()).error().code,
            ErrorCode::kQuotaExceeded);
  http_.Enqueue(Heartbeat(202, "not json"));
  EXPECT_EQ(client_.UploadManifest(Write("c", "big"), TwoSegments()).error().code,
            ErrorCode::kBadResponse);
}

TEST_F(SwiftClientTest, UploadManifestRefusesABadPathWithoutSending) {
  std::vector<SloSegment> segments = TwoSegments();
  segments[0].path = "no-container";
  auto result = client_.UploadManifest(Write("c", "big"), segments);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(http_.RequestCount(), 0u);
}

TEST_F(SwiftClientTest, GetManifestReadsTheRawFormat) {
  http_.Enqueue(Reply(200,
                      R"([{"etag": "74b87337454200d4d33f80c4663dc5e5", "path": "/segs/a b",)"
                      R"( "size_bytes": 4}, {"etag": "65ba841e01d6db7733e90a5b7f9e6f80",)"
                      R"( "path": "/segs/x/2", "size_bytes": 4, "range": "1-2"}])",
                      {{"X-Static-Large-Object", "True"}}));
  auto manifest = client_.GetManifest("c", "big");
  ASSERT_TRUE(manifest.ok()) << manifest.error().ToString();
  ASSERT_EQ(manifest->size(), 2u);
  EXPECT_EQ((*manifest)[0].path, "segs/a b");
  EXPECT_EQ((*manifest)[0].size_bytes, 4u);
  EXPECT_FALSE((*manifest)[0].range.has_value());
  EXPECT_EQ((*manifest)[1].range, (std::pair<uint64_t, uint64_t>(1, 2)));
  EXPECT_EQ(OnlyRequest().url, Url("/c/big?multipart-manifest=get&format=raw"));
  EXPECT_EQ(counters_.Get(Counter::kGetRequests), 1u);
}

TEST_F(SwiftClientTest, GetManifestOfPlainObjectIsInvalidArgument) {
  http_.Enqueue(Reply(200, "plain object data"));
  auto manifest = client_.GetManifest("c", "o");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code, ErrorCode::kInvalidArgument);
  http_.Enqueue(Reply(200, ""));  // an empty object (or a DLO manifest)
  EXPECT_EQ(client_.GetManifest("c", "o").error().code, ErrorCode::kInvalidArgument);
  http_.Enqueue(Reply(404, "<html><h1>Not Found</h1></html>"));
  EXPECT_EQ(client_.GetManifest("c", "o").error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftClientTest, DeleteObjectOnly) {
  http_.Enqueue(Reply(204));
  ASSERT_TRUE(client_.DeleteObject("c", "a b", DeleteMode::kObjectOnly).ok());
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.method, http::Method::kDelete);
  EXPECT_EQ(request.url, Url("/c/a%20b"));
  http_.Enqueue(Reply(404));
  EXPECT_EQ(client_.DeleteObject("c", "a b", DeleteMode::kObjectOnly).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(counters_.Get(Counter::kDeleteRequests), 2u);
}

TEST_F(SwiftClientTest, DeleteWithSegments) {
  http_.Enqueue(Heartbeat(200, R"({"Response Status": "200 OK", "Response Body": "",
      "Number Deleted": 3, "Number Not Found": 0, "Errors": []})"));
  ASSERT_TRUE(client_.DeleteObject("c", "big", DeleteMode::kWithSegments).ok());
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.url, Url("/c/big?multipart-manifest=delete"));
  EXPECT_EQ(request.headers.Get("Accept"), "application/json");
  EXPECT_TRUE(request.slow_reply);
}

TEST_F(SwiftClientTest, DeleteWithSegmentsOfAbsentObjectIsNotFound) {
  // Swift 2.30 for a name that does not exist.
  http_.Enqueue(Heartbeat(200, R"({"Response Status": "200 OK", "Response Body": "",
      "Number Deleted": 0, "Number Not Found": 1, "Errors": []})"));
  auto status = client_.DeleteObject("c", "gone", DeleteMode::kWithSegments);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftClientTest, DeleteWithSegmentsOfPlainObjectFallsBackToPlainDelete) {
  http_.Enqueue(Heartbeat(200, R"({"Response Status": "400 Bad Request", "Response Body": "",
      "Number Deleted": 0, "Number Not Found": 0,
      "Errors": [["/c/plain", "Not an SLO manifest"]]})"));
  http_.Enqueue(Reply(204));
  ASSERT_TRUE(client_.DeleteObject("c", "plain", DeleteMode::kWithSegments).ok());
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].url, Url("/c/plain"));
  EXPECT_EQ(counters_.Get(Counter::kDeleteRequests), 2u);
}

TEST_F(SwiftClientTest, DeleteWithSegmentsThatFailsPartlyReportsTheSegmentError) {
  http_.Enqueue(Heartbeat(200, R"({"Response Status": "502 Bad Gateway", "Response Body": "",
      "Number Deleted": 1, "Number Not Found": 0,
      "Errors": [["/c_segments/big/0002", "503 Service Unavailable"]]})"));
  auto status = client_.DeleteObject("c", "big", DeleteMode::kWithSegments);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kServerError);  // retried by the decorator
  EXPECT_NE(status.error().message.find("/c_segments/big/0002"), std::string::npos);
}

TEST_F(SwiftClientTest, CopyObjectCopiesManifestsAsManifests) {
  http_.Enqueue(Reply(201, "", {{"Etag", "\"abc\""}}));
  ObjectWrite destination = Write("dst", "new name");
  auto result = client_.CopyObject("src c", "dir/old name", destination);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, "abc");
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.method, http::Method::kPut);
  EXPECT_EQ(request.url, Url("/dst/new%20name?multipart-manifest=get"));
  EXPECT_EQ(request.headers.Get("X-Copy-From"), "/src%20c/dir/old%20name");
  EXPECT_FALSE(request.headers.Has("X-Fresh-Metadata"));
  EXPECT_FALSE(request.headers.Has("If-Match"));
  EXPECT_EQ(request.body, "");
  EXPECT_EQ(counters_.Get(Counter::kCopyRequests), 1u);
}

TEST_F(SwiftClientTest, CopyObjectWithMetadataSendsFreshMetadataAndIfMatch) {
  http_.Enqueue(Reply(201));
  ObjectWrite destination = Write("c", "b");
  destination.metadata = {{"mtime", "5"}};
  destination.content_type = "text/plain";
  destination.etag = "74b87337454200d4d33f80c4663dc5e5";
  ASSERT_TRUE(client_.CopyObject("c", "a", destination).ok());
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.headers.Get("X-Fresh-Metadata"), "true");
  EXPECT_EQ(request.headers.Get("X-Object-Meta-mtime"), "5");
  EXPECT_EQ(request.headers.Get("Content-Type"), "text/plain");
  EXPECT_EQ(request.headers.Get("If-Match"), "\"74b87337454200d4d33f80c4663dc5e5\"");
}

// Swift compares a copy's If-Match with an SLO's manifest document, not with the SLO ETag
// the caller knows: the client finds the manifest's ETag and copies that exact version.
TEST_F(SwiftClientTest, CopyObjectIfMatchOnSloRetriesWithTheManifestEtag) {
  http_.Enqueue(Reply(412));
  http_.Enqueue(Reply(200, "",
                      {{"Content-Length", "8"},
                       {"X-Static-Large-Object", "True"},
                       {"Etag", "\"8c39aab0ee132c93b93f9cf0ed132353\""},
                       {"X-Manifest-Etag", "4a6ac7663c56624d3a04cc6e84f54510"}}));
  http_.Enqueue(Reply(201));
  ObjectWrite destination = Write("c", "moved");
  destination.etag = "8c39aab0ee132c93b93f9cf0ed132353";
  auto result = client_.CopyObject("c", "big", destination);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].method, http::Method::kHead);
  EXPECT_EQ(requests[2].headers.Get("If-Match"), "\"4a6ac7663c56624d3a04cc6e84f54510\"");
}

TEST_F(SwiftClientTest, CopyObjectIfMatchOnChangedSourceIsPreconditionFailed) {
  http_.Enqueue(Reply(412));
  http_.Enqueue(Reply(200, "", {{"Content-Length", "4"}, {"Etag", "\"other\""}}));
  ObjectWrite destination = Write("c", "moved");
  destination.etag = "74b87337454200d4d33f80c4663dc5e5";
  auto result = client_.CopyObject("c", "a", destination);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(http_.RequestCount(), 2u);
}

TEST_F(SwiftClientTest, CopyObjectIfNoneMatchHeadsTheDestination) {
  http_.Enqueue(Reply(200, "", {{"Content-Length", "1"}}));
  ObjectWrite destination = Write("c", "taken");
  destination.if_none_match = true;
  auto exists = client_.CopyObject("c", "a", destination);
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code, ErrorCode::kExists);
  EXPECT_EQ(http_.RequestCount(), 1u);

  http_.ClearRequests();
  http_.Enqueue(Reply(404));
  http_.Enqueue(Reply(201));
  ASSERT_TRUE(client_.CopyObject("c", "a", destination).ok());
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_FALSE(requests[1].headers.Has("If-None-Match"));  // Swift would test the source
}

TEST_F(SwiftClientTest, PostObjectReplacesMetadata) {
  http_.Enqueue(Reply(202));
  ASSERT_TRUE(client_.PostObject("c", "o", {{"mtime", "7"}, {"owner", "ann"}}, "").ok());
  const http::Request request = OnlyRequest();
  EXPECT_EQ(request.method, http::Method::kPost);
  EXPECT_EQ(request.url, Url("/c/o"));
  EXPECT_EQ(request.headers.Get("X-Object-Meta-mtime"), "7");
  EXPECT_EQ(request.headers.Get("X-Object-Meta-owner"), "ann");
  EXPECT_FALSE(request.headers.Has("Content-Type"));
  EXPECT_EQ(counters_.Get(Counter::kPostRequests), 1u);
  http_.Enqueue(Reply(404));
  EXPECT_EQ(client_.PostObject("c", "o", {}, "").error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftClientTest, Containers) {
  http_.Enqueue(Reply(201));
  http_.Enqueue(Reply(202));
  ASSERT_TRUE(client_.PutContainer("new c").ok());
  ASSERT_TRUE(client_.PutContainer("new c").ok());
  EXPECT_EQ(http_.Requests()[0].url, Url("/new%20c"));
  EXPECT_EQ(http_.Requests()[0].method, http::Method::kPut);

  http_.Enqueue(Reply(409,
                      "<html><h1>Conflict</h1><p>There was a conflict when trying to "
                      "complete your request.</p></html>"));
  auto busy = client_.DeleteContainer("new c");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, ErrorCode::kConflict);
  http_.Enqueue(Reply(204));
  ASSERT_TRUE(client_.DeleteContainer("new c").ok());
  EXPECT_EQ(counters_.Get(Counter::kPutRequests), 2u);
  EXPECT_EQ(counters_.Get(Counter::kDeleteRequests), 2u);
}

TEST_F(SwiftClientTest, WriteIsSentAgainAfterA401WithTheSameBody) {
  http_.Enqueue(Reply(401));
  http_.Enqueue(Reply(201));
  const std::string data = "payload";
  ASSERT_TRUE(client_.UploadObject(Write("c", "o"), Bytes(data)).ok());
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].body, "payload");
  EXPECT_EQ(counters_.Get(Counter::kBytesUploaded), 14u);  // both attempts went out
}

}  // namespace
}  // namespace swiftfs::swift
