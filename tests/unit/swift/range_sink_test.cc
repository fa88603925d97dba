#include "swift/range_sink.h"

#include <gtest/gtest.h>

namespace swiftfs::swift {
namespace {

const std::string kObject = "0123456789abcdefghijklmnopqrstuvwxyz";

http::Headers H(std::vector<std::pair<std::string, std::string>> fields) {
  http::Headers headers;
  for (auto& [name, value] : fields) headers.Add(name, value);
  return headers;
}

// Feeds `body` in pieces of `chunk` bytes, as libcurl does; returns false if the sink
// stopped the transfer.
bool Feed(RangeSink& sink, std::string_view body, size_t chunk) {
  for (size_t at = 0; at < body.size(); at += chunk) {
    const std::string_view piece = body.substr(at, chunk);
    if (!sink.Write(std::span<const char>(piece.data(), piece.size()))) return false;
  }
  return true;
}

TEST(RangeSinkTest, WholeBodySlicedAcrossChunksOfEverySize) {
  for (size_t chunk : {1u, 2u, 3u, 7u, 10u, 11u, 36u, 100u}) {
    for (uint64_t offset : {0u, 5u, 9u, 10u, 30u, 35u, 36u, 50u}) {
      std::string buffer(6, '.');
      Counters counters;
      RangeSink sink(std::span<char>(buffer), offset, "", counters);
      sink.Begin(200, H({}));
      const bool completed = Feed(sink, kObject, chunk);
      const std::string expected = offset < kObject.size() ? kObject.substr(offset, 6) : "";
      EXPECT_EQ(buffer.substr(0, sink.bytes()), expected) << chunk << "/" << offset;
      // Stops early exactly when the buffer filled up.
      EXPECT_EQ(completed, expected.size() < 6) << chunk << "/" << offset;
      EXPECT_EQ(sink.state() == RangeSink::State::kFilled, expected.size() == 6);
    }
  }
}

TEST(RangeSinkTest, PartialContentAcrossChunks) {
  for (size_t chunk : {1u, 4u, 10u}) {
    std::string buffer(10, '.');
    Counters counters;
    RangeSink sink(std::span<char>(buffer), 3, "", counters);
    sink.Begin(206, H({{"Content-Range", "bytes 3-12/36"}}));
    EXPECT_TRUE(Feed(sink, kObject.substr(3, 10), chunk));
    EXPECT_EQ(buffer, kObject.substr(3, 10));
    EXPECT_EQ(sink.expected_slice_bytes(), 10u);
    EXPECT_EQ(counters.Get(Counter::kBytesFetched), 10u);
  }
}

TEST(RangeSinkTest, ANewAttemptStartsOver) {
  std::string buffer(4, '.');
  Counters counters;
  RangeSink sink(std::span<char>(buffer), 0, "", counters);
  sink.Begin(401, H({}));
  EXPECT_TRUE(Feed(sink, "<html>Unauthorized</html>", 5));
  EXPECT_EQ(sink.error_body(), "<html>Unauthorized</html>");
  sink.Begin(206, H({{"Content-Range", "bytes 0-3/36"}}));
  EXPECT_TRUE(Feed(sink, "0123", 4));
  EXPECT_EQ(buffer, "0123");
  EXPECT_EQ(sink.bytes(), 4u);
  EXPECT_TRUE(sink.error_body().empty());
  EXPECT_EQ(counters.Get(Counter::kBytesFetched), 4u);
}

TEST(RangeSinkTest, ErrorBodiesAreBounded) {
  std::string buffer(4, '.');
  Counters counters;
  RangeSink sink(std::span<char>(buffer), 0, "", counters);
  sink.Begin(500, H({}));
  EXPECT_TRUE(Feed(sink, std::string(100000, 'e'), 4096));
  EXPECT_EQ(sink.error_body().size(), 1024u);
  EXPECT_EQ(buffer, "....");
}

TEST(RangeSinkTest, EtagChecks) {
  std::string buffer(4, '.');
  Counters counters;
  RangeSink sink(std::span<char>(buffer), 0, "abc", counters);
  sink.Begin(206, H({{"ETag", "\"abc\""}}));
  EXPECT_EQ(sink.state(), RangeSink::State::kSlice);
  sink.Begin(206, H({}));  // no ETag: nothing to compare, accept
  EXPECT_EQ(sink.state(), RangeSink::State::kSlice);
  sink.Begin(200, H({{"ETag", "abd"}}));
  EXPECT_EQ(sink.state(), RangeSink::State::kEtagMismatch);
  EXPECT_FALSE(Feed(sink, "0123", 4));
  EXPECT_EQ(buffer, "....");
}

TEST(RangeSinkTest, ContentRangeParsing) {
  const auto r = ParseContentRange("bytes 5-9/36");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 5u);
  EXPECT_EQ(r->last, 9u);
  EXPECT_EQ(r->total, 36u);
  EXPECT_EQ(ParseContentRange("bytes 0-0/*")->total, std::nullopt);
  EXPECT_EQ(ParseContentRange("bytes 0-9/5")->total, std::nullopt);  // a total before `last`
  EXPECT_EQ(ParseUnsatisfiedRangeTotal("bytes */36"), 36u);
  EXPECT_EQ(ParseUnsatisfiedRangeTotal("bytes 0-1/36"), std::nullopt);
  EXPECT_FALSE(ParseContentRange("bytes */36"));
  EXPECT_FALSE(ParseContentRange("bytes 9-5/36"));
  EXPECT_FALSE(ParseContentRange("items 0-1/2"));
  EXPECT_FALSE(ParseContentRange("bytes 1-2"));
  EXPECT_FALSE(ParseContentRange(""));
}

}  // namespace
}  // namespace swiftfs::swift
