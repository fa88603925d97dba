#include <string>

#include "swift_client_fixture.h"

namespace swiftfs::swift {
namespace {

using testing::Reply;

const std::string kObject = "0123456789abcdefghijklmnopqrstuvwxyz";

// Answers a ranged GET of kObject the way Swift does: 206 with the slice and a
// Content-Range, or 416 past the end.
Result<http::Response> Swift206(const http::Request& request) {
  const std::string range = request.headers.Get("Range").value_or("");
  const size_t eq = range.find('='), dash = range.find('-');
  const uint64_t first = std::stoull(range.substr(eq + 1, dash - eq - 1));
  uint64_t last = std::stoull(range.substr(dash + 1));
  if (first >= kObject.size()) return Reply(416, "<html><h1>Requested Range Not Satisfiable");
  last = std::min<uint64_t>(last, kObject.size() - 1);
  return Reply(206, kObject.substr(first, last - first + 1),
               {{"Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) +
                                      "/" + std::to_string(kObject.size())},
                {"ETag", "\"e1\""}});
}

class GetRangeTest : public SwiftClientTest {
 protected:
  Result<std::string> Read(uint64_t offset, size_t size, const std::string& if_match = "") {
    std::string buffer(size, '\0');
    auto r = client_.GetRange("c", "dir/o b", offset, std::span<char>(buffer), if_match);
    if (!r) return std::move(r).error();
    buffer.resize(r->bytes);
    return buffer;
  }
};

TEST_F(GetRangeTest, PartialContentGoesStraightIntoTheBuffer) {
  http_.SetHandler(Swift206);
  EXPECT_EQ(*Read(0, 10), "0123456789");
  EXPECT_EQ(*Read(30, 10), "uvwxyz");  // the object ends inside the range
  const auto requests = http_.Requests();
  EXPECT_EQ(requests[0].url, std::string(kStorage) + "/c/dir/o%20b");
  EXPECT_EQ(requests[0].headers.Get("Range"), "bytes=0-9");
  EXPECT_EQ(requests[1].headers.Get("Range"), "bytes=30-39");
  EXPECT_FALSE(requests[0].headers.Has("If-Match"));
  EXPECT_EQ(counters_.Get(Counter::kGetRequests), 2u);
  EXPECT_EQ(counters_.Get(Counter::kBytesFetched), 16u);
}

TEST_F(GetRangeTest, IfMatchIsQuoted) {
  http_.SetHandler(Swift206);
  EXPECT_EQ(*Read(1, 2, "e1"), "12");
  EXPECT_EQ(OnlyRequest().headers.Get("If-Match"), "\"e1\"");
}

TEST_F(GetRangeTest, PastTheEndAndEmptyObjectsReadZeroBytes) {
  http_.SetHandler(Swift206);
  EXPECT_EQ(*Read(36, 10), "");
  EXPECT_EQ(*Read(1000, 10), "");
  http_.Enqueue(Reply(416, "", {{"Content-Range", "bytes */0"}}));  // any range of 0 bytes
  EXPECT_EQ(*Read(0, 4096), "");
}

TEST_F(GetRangeTest, EmptyBufferSendsNothing) {
  EXPECT_EQ(*Read(5, 0), "");
  EXPECT_EQ(http_.RequestCount(), 0u);
}

TEST_F(GetRangeTest, WholeBodyReplyIsSliced) {
  // A DLO whose segments span listing pages, or a server ignoring Range: 200 + everything.
  http_.SetHandler([](const http::Request&) { return Reply(200, kObject); });
  EXPECT_EQ(*Read(10, 5), "abcde");
  EXPECT_EQ(*Read(0, 3), "012");
  EXPECT_EQ(*Read(34, 10), "yz");
  EXPECT_EQ(*Read(36, 10), "");
  EXPECT_EQ(*Read(500, 10), "");
  EXPECT_EQ(*Read(0, 36), kObject);
  EXPECT_EQ(*Read(0, 100), kObject);
}

TEST_F(GetRangeTest, WholeBodyIsAbortedOnceTheBufferIsFull) {
  // The fake delivers the body in one Write: the sink takes its slice and refuses the
  // rest, which the client must treat as success, not as a cancelled transfer.
  http_.Enqueue(Reply(200, std::string(1 << 20, 'x') + "tail"));
  auto r = Read(100, 10);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, std::string(10, 'x'));
}

// What Swift sends with an object GET besides the range headers (as with a HEAD).
std::vector<std::pair<std::string, std::string>> ObjectHeaders(const std::string& length) {
  return {{"Content-Length", length},          {"ETag", "\"e1\""},
          {"Content-Type", "text/plain"},      {"Last-Modified", "Sat, 01 Jan 2022 00:00:00 GMT"},
          {"X-Timestamp", "1640995200.12345"}, {"X-Object-Meta-Mtime", "1000000000.5"},
          {"X-Object-Meta-Owner", "ann"}};
}

TEST_F(GetRangeTest, TheReplysObjectHeadersStandInForAHead) {
  auto headers = ObjectHeaders("10");
  headers.emplace_back("Content-Range", "bytes 0-9/36");
  http_.Enqueue(Reply(206, kObject.substr(0, 10), headers));
  std::string buffer(10, '\0');
  auto r = client_.GetRange("c", "dir/o b", 0, std::span<char>(buffer), "e1");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->info.has_value());
  EXPECT_EQ(r->info->name, "dir/o b");
  EXPECT_EQ(r->info->size, 36u);  // the object's, from Content-Range, not the slice's 10
  EXPECT_EQ(r->info->etag, "e1");
  EXPECT_EQ(r->info->content_type, "text/plain");
  EXPECT_EQ(r->info->timestamp, "1640995200.12345");
  ASSERT_TRUE(r->info->meta_mtime.has_value());
  EXPECT_EQ(r->info->meta_mtime->time_since_epoch(), std::chrono::milliseconds(1000000000500));
  EXPECT_EQ(r->info->metadata.at("owner"), "ann");

  // A whole-body 200: the size is its Content-Length.
  http_.Enqueue(Reply(200, kObject, ObjectHeaders("36")));
  r = client_.GetRange("c", "dir/o b", 0, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->info.has_value());
  EXPECT_EQ(r->info->size, 36u);
}

TEST_F(GetRangeTest, HeadersThatDoNotParseCostTheInfoNotTheBytes) {
  // Swift206 sends no Content-Length, which ParseObjectHeaders requires.
  http_.SetHandler(Swift206);
  std::string buffer(10, '\0');
  auto r = client_.GetRange("c", "o", 0, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(buffer, "0123456789");
  EXPECT_FALSE(r->info.has_value());
  // Nor does a 416 (nothing past the end) describe the object.
  http_.Enqueue(Reply(416, "", {{"Content-Range", "bytes */0"}, {"Content-Length", "0"}}));
  r = client_.GetRange("c", "o", 0, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_FALSE(r->info.has_value());
}

TEST_F(GetRangeTest, PreconditionFailed) {
  http_.Enqueue(Reply(412, "<html><h1>Precondition Failed</h1></html>"));
  auto r = Read(0, 10, "old");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(r.error().object, "c/dir/o b");
  EXPECT_NE(r.error().message.find("changed since it was opened"), std::string::npos);
}

TEST_F(GetRangeTest, PreconditionFailedOnAManifestSaysWhichEtagToUse) {
  // What Swift 2.30 answers to If-Match with a DLO listing's hash.
  http_.Enqueue(
      Reply(412, "",
            {{"X-Object-Manifest", "c/segs/"}, {"Etag", "\"dd750bbf60d5946380796fbe7aa799f2\""}}));
  auto r = Read(0, 4, "d41d8cd98f00b204e9800998ecf8427e");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(r.error().message.find("ETag now dd750bbf60d5946380796fbe7aa799f2, expected "
                                   "d41d8cd98f00b204e9800998ecf8427e"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("If-Match must use the ETag from HEAD"), std::string::npos);
}

TEST_F(GetRangeTest, AReplyOfAnotherVersionIsRefusedEvenWithoutA412) {
  // A server (or a middleware) that ignored If-Match.
  http_.Enqueue(Reply(206, "0123", {{"Content-Range", "bytes 0-3/36"}, {"ETag", "\"new\""}}));
  auto r = Read(0, 4, "old");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(r.error().message.find("new"), std::string::npos);

  http_.Enqueue(Reply(200, kObject, {{"ETag", "new"}}));
  EXPECT_EQ(Read(0, 4, "old").error().code, ErrorCode::kPreconditionFailed);
}

TEST_F(GetRangeTest, NotFoundAndServerErrors) {
  http_.Enqueue(Reply(404, "<html><h1>Not Found</h1><p>The resource could not be found.</p>"));
  auto missing = Read(0, 4);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("The resource could not be found."), std::string::npos)
      << missing.error().message;

  http_.Enqueue(Reply(503, "busy", {{"Retry-After", "2"}}));
  auto busy = Read(0, 4);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, ErrorCode::kServerError);
  EXPECT_EQ(busy.error().retry_after, std::chrono::seconds(2));
  EXPECT_EQ(counters_.Get(Counter::kBytesFetched), 0u);  // error bodies are not object data
}

TEST_F(GetRangeTest, OverlongPartialBodyIsABadResponse) {
  http_.Enqueue(Reply(206, "0123456789", {{"Content-Range", "bytes 0-3/36"}}));
  auto r = Read(0, 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
}

TEST_F(GetRangeTest, ShortPartialBodyIsReturnedAsIncomplete) {
  // One attempt keeps what arrived and says the range is not done; the retrying client
  // resumes (get_range_resume_test.cc).
  http_.Enqueue(Reply(206, "01", {{"Content-Range", "bytes 0-3/36"}}));
  std::string buffer(4, '\0');
  auto r = client_.GetRange("c", "o", 0, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->bytes, 2u);
  EXPECT_FALSE(r->complete);
  EXPECT_EQ(r->object_size, 36u);
  EXPECT_EQ(buffer.substr(0, 2), "01");
}

TEST_F(GetRangeTest, ARangeEndingAtTheObjectsEndIsComplete) {
  http_.SetHandler(Swift206);
  std::string buffer(10, '\0');
  auto r = client_.GetRange("c", "o", 30, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes, 6u);
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->object_size, 36u);
}

TEST_F(GetRangeTest, PartialBodyAtTheWrongOffsetIsABadResponse) {
  http_.Enqueue(Reply(206, "0123", {{"Content-Range", "bytes 0-3/36"}}));
  auto r = Read(8, 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
}

TEST_F(GetRangeTest, PartialBodyWithoutContentRangeIsTakenAsIs) {
  http_.Enqueue(Reply(206, "89ab"));
  EXPECT_EQ(*Read(8, 4), "89ab");
}

TEST_F(GetRangeTest, TransportErrorsKeepTheirCode) {
  http_.Enqueue(MakeError(ErrorCode::kConnectionFailed, "connection reset"));
  auto r = Read(0, 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
  EXPECT_EQ(r.error().object, "c/dir/o b");
}

TEST_F(GetRangeTest, A401ResendRewritesTheBufferFromTheStart) {
  http_.Enqueue(Reply(401, "<html><h1>Unauthorized</h1></html>"));
  http_.SetHandler(Swift206);
  EXPECT_EQ(*Read(4, 4), "4567");
  EXPECT_EQ(http_.RequestCount(), 2u);
  EXPECT_EQ(counters_.Get(Counter::kGetRequests), 2u);
}

TEST_F(GetRangeTest, HugeOffsetsDoNotOverflowTheRangeHeader) {
  http_.Enqueue(Reply(416));
  std::string buffer(8, '\0');
  auto r = client_.GetRange("c", "o", UINT64_MAX - 2, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(OnlyRequest().headers.Get("Range"),
            "bytes=" + std::to_string(UINT64_MAX - 2) + "-" + std::to_string(UINT64_MAX));
}

}  // namespace
}  // namespace swiftfs::swift
