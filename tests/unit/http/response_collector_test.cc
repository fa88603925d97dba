#include "http/response_collector.h"

#include <gtest/gtest.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace swiftfs::http {
namespace {

// Records what the collector hands a sink.
class RecordingSink final : public BodySink {
 public:
  void Begin(int status, const Headers& headers) override {
    begins.push_back(status);
    etag = headers.Get("ETag").value_or("");
  }
  bool Write(std::span<const char> data) override {
    if (throw_on_write) throw std::runtime_error("boom");
    data_.append(data.data(), data.size());
    return accept;
  }
  std::vector<int> begins;
  std::string etag;
  std::string data_;
  bool accept = true;
  bool throw_on_write = false;
};

void FeedHead(ResponseCollector& c, std::initializer_list<std::string_view> lines) {
  for (std::string_view line : lines) ASSERT_TRUE(c.OnHeaderLine(line));
}

TEST(ResponseCollectorTest, ParsesStatusAndTrimmedHeaders) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 206 Partial Content\r\n", "Content-Range:  bytes 0-3/10 \r\n",
               "etag:\tabc\r\n", "\r\n"});
  EXPECT_EQ(c.status(), 206);
  EXPECT_EQ(c.headers().Get("CONTENT-RANGE"), "bytes 0-3/10");
  EXPECT_EQ(c.headers().Get("ETag"), "abc");
}

TEST(ResponseCollectorTest, KeepsRepeatedAndEmptyFields) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "X-Rep: a\r\n", "x-rep: b\r\n", "X-Empty:\r\n",
               "X-Blank:   \r\n", "\r\n"});
  ASSERT_EQ(c.headers().All().size(), 4u);
  EXPECT_EQ(c.headers().All()[0].second, "a");
  EXPECT_EQ(c.headers().All()[1].second, "b");
  EXPECT_EQ(c.headers().Get("x-empty"), "");
  EXPECT_EQ(c.headers().Get("x-blank"), "");
}

TEST(ResponseCollectorTest, JoinsFoldedLines) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "X-Folded: first\r\n", "   second\r\n", "\tthird\r\n",
               "X-Next: n\r\n", "\r\n"});
  EXPECT_EQ(c.headers().Get("X-Folded"), "first second third");
  EXPECT_EQ(c.headers().Get("X-Next"), "n");
}

TEST(ResponseCollectorTest, InterimResponseHeadersAreDropped) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n",
               "HTTP/1.1 201 Created\r\n", "Etag: e\r\n", "\r\n"});
  EXPECT_EQ(c.status(), 201);
  EXPECT_FALSE(c.headers().Has("X-Interim"));
  EXPECT_EQ(c.headers().Get("etag"), "e");
}

TEST(ResponseCollectorTest, IgnoresLinesWithoutAColon) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "garbage\r\n", ": no name\r\n", "A: 1\r\n", "\r\n"});
  ASSERT_EQ(c.headers().All().size(), 1u);
}

TEST(ResponseCollectorTest, MalformedStatusLineGivesZero) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 2x0 OK\r\n", "\r\n"});
  EXPECT_EQ(c.status(), 0);
}

TEST(ResponseCollectorTest, ContentLengthParsedStrictly) {
  ResponseCollector ok(nullptr);
  FeedHead(ok, {"HTTP/1.1 200 OK\r\n", "Content-Length: 42\r\n", "\r\n"});
  EXPECT_EQ(ok.content_length(), 42u);
  ResponseCollector bad(nullptr);
  FeedHead(bad, {"HTTP/1.1 200 OK\r\n", "Content-Length: 4x\r\n", "\r\n"});
  EXPECT_EQ(bad.content_length(), std::nullopt);
}

TEST(ResponseCollectorTest, CollectsBodyInMemory) {
  ResponseCollector c(nullptr);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "Content-Length: 6\r\n", "\r\n"});
  EXPECT_TRUE(c.OnBodyData(std::span<const char>("abc", 3)));
  EXPECT_TRUE(c.OnBodyData(std::span<const char>("def", 3)));
  EXPECT_TRUE(c.Finish());
  EXPECT_EQ(c.body_bytes(), 6u);
  EXPECT_EQ(c.TakeBody(), "abcdef");
}

TEST(ResponseCollectorTest, SinkBegunOnceBeforeFirstWrite) {
  RecordingSink sink;
  ResponseCollector c(&sink);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "ETag: t\r\n", "\r\n"});
  EXPECT_TRUE(c.OnBodyData(std::span<const char>("ab", 2)));
  EXPECT_TRUE(c.OnBodyData(std::span<const char>("cd", 2)));
  EXPECT_TRUE(c.Finish());
  EXPECT_EQ(sink.begins, std::vector<int>{200});
  EXPECT_EQ(sink.etag, "t");
  EXPECT_EQ(sink.data_, "abcd");
  EXPECT_EQ(c.TakeBody(), "");
}

TEST(ResponseCollectorTest, SinkBegunOnFinishWhenBodyEmpty) {
  RecordingSink sink;
  ResponseCollector c(&sink);
  FeedHead(c, {"HTTP/1.1 204 No Content\r\n", "\r\n"});
  EXPECT_TRUE(c.Finish());
  EXPECT_EQ(sink.begins, std::vector<int>{204});
}

TEST(ResponseCollectorTest, RefusingSinkStopsTransfer) {
  RecordingSink sink;
  sink.accept = false;
  ResponseCollector c(&sink);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "\r\n"});
  EXPECT_FALSE(c.OnBodyData(std::span<const char>("x", 1)));
  EXPECT_EQ(c.abort_reason(), ResponseCollector::Abort::kSinkRefused);
}

TEST(ResponseCollectorTest, OverflowingSinkIsReportedAsOverflow) {
  std::array<char, 2> buffer{};
  BufferSink sink(buffer);
  ResponseCollector c(&sink);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "\r\n"});
  EXPECT_FALSE(c.OnBodyData(std::span<const char>("xyz", 3)));
  EXPECT_EQ(c.abort_reason(), ResponseCollector::Abort::kSinkOverflowed);
}

TEST(ResponseCollectorTest, ThrowingSinkIsCaught) {
  RecordingSink sink;
  sink.throw_on_write = true;
  ResponseCollector c(&sink);
  FeedHead(c, {"HTTP/1.1 200 OK\r\n", "\r\n"});
  EXPECT_FALSE(c.OnBodyData(std::span<const char>("x", 1)));
  EXPECT_EQ(c.abort_reason(), ResponseCollector::Abort::kSinkThrew);
}

}  // namespace
}  // namespace swiftfs::http
