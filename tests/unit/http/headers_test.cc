#include <gtest/gtest.h>

#include <array>
#include <string>

#include "swiftfs/http/http_client.h"

namespace swiftfs::http {
namespace {

TEST(HeadersTest, GetIsCaseInsensitiveAndReturnsFirstValue) {
  Headers h;
  h.Add("X-Object-Meta-Color", "blue");
  h.Add("x-object-meta-color", "red");
  EXPECT_EQ(h.Get("X-OBJECT-META-COLOR"), "blue");
  EXPECT_TRUE(h.Has("x-Object-Meta-color"));
  EXPECT_FALSE(h.Has("X-Object-Meta"));
  EXPECT_EQ(h.Get("missing"), std::nullopt);
  EXPECT_EQ(h.All().size(), 2u);
}

TEST(HeadersTest, SetReplacesEveryField) {
  Headers h;
  h.Add("Accept", "a");
  h.Add("ACCEPT", "b");
  h.Add("Other", "c");
  h.Set("accept", "d");
  EXPECT_EQ(h.Get("Accept"), "d");
  EXPECT_EQ(h.All().size(), 2u);
}

TEST(HeadersTest, WithPrefixMatchesCaseInsensitively) {
  Headers h;
  h.Add("X-Object-Meta-A", "1");
  h.Add("x-object-meta-b", "2");
  h.Add("X-Object-Manifest", "c/p");
  const auto meta = h.WithPrefix("X-Object-Meta-");
  ASSERT_EQ(meta.size(), 2u);
  EXPECT_EQ(meta[0].second, "1");
  EXPECT_EQ(meta[1].first, "x-object-meta-b");
}

TEST(HeadersTest, EmptyValueIsPresent) {
  Headers h;
  h.Add("X-Empty", "");
  EXPECT_EQ(h.Get("x-empty"), "");
}

TEST(BufferSinkTest, FillsExactlyAndRefusesOverflow) {
  std::array<char, 8> buffer{};
  BufferSink sink(buffer);
  EXPECT_TRUE(sink.Write(std::span<const char>("abcde", 5)));
  EXPECT_TRUE(sink.Write(std::span<const char>("fgh", 3)));
  EXPECT_EQ(sink.size(), 8u);
  EXPECT_FALSE(sink.overflowed());
  EXPECT_FALSE(sink.Write(std::span<const char>("i", 1)));
  EXPECT_TRUE(sink.overflowed());
  EXPECT_EQ(std::string(buffer.data(), buffer.size()), "abcdefgh");
}

TEST(BufferSinkTest, OverflowIsVisibleThroughTheBaseClass) {
  std::array<char, 2> buffer{};
  BufferSink sink(buffer);
  BodySink& base = sink;
  EXPECT_FALSE(base.Write(std::span<const char>("xyz", 3)));
  EXPECT_TRUE(base.overflowed());
  EXPECT_EQ(sink.size(), 0u);
}

}  // namespace
}  // namespace swiftfs::http
