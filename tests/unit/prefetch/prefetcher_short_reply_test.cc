// Replies shorter than the range asked for are never the end of the file: the prefetcher
// (parts and direct reads) completes them, or fails the read when the data stops before
// the version's size. What used to happen: a short part was taken as end of file and the
// file silently truncated.

#include <gtest/gtest.h>

#include <atomic>

#include "support/forwarding_object_client.h"
#include "swiftfs/cache/prefetcher.h"
#include "unit/prefetch/prefetch_test_util.h"

namespace swiftfs::cache {
namespace {

using testing::FakeObjectClient;
using testing::kKiB;
using testing::kMiB;

// Forwards to the fake, but answers every other GET with a third of what was asked (or,
// past `data_end`, with no byte at all), claiming the reply complete like a buggy server.
class ShortReplyClient final : public testing::ForwardingObjectClient {
 public:
  ShortReplyClient(FakeObjectClient& fake, uint64_t data_end)
      : ForwardingObjectClient(fake), fake_(fake), data_end_(data_end) {}
  Result<swift::ReadResult> GetRange(const std::string& c, const std::string& n, uint64_t offset,
                                     std::span<char> buffer, const std::string& etag) override {
    if (offset >= data_end_) return swift::ReadResult{};
    buffer = buffer.first(std::min<uint64_t>(buffer.size(), data_end_ - offset));
    if (calls_++ % 2 == 0 && buffer.size() > 3) buffer = buffer.first(buffer.size() / 3);
    return fake_.GetRange(c, n, offset, buffer, etag);
  }

 private:
  FakeObjectClient& fake_;
  const uint64_t data_end_;
  std::atomic<uint64_t> calls_{0};
};

class PrefetcherShortReplyTest : public ::testing::Test {
 protected:
  PrefetcherShortReplyTest() : data_(testing::RandomData(3 * kMiB + 7, 5)) {
    fake_.PutObject("c", "o", data_);
  }
  FakeObjectClient fake_;
  Counters counters_;
  std::string data_;
};

TEST_F(PrefetcherShortReplyTest, ShortPartsAndDirectReadsAreCompleted) {
  ShortReplyClient client(fake_, UINT64_MAX);
  Prefetcher prefetcher(client, counters_, testing::SmallPrefetchOptions());
  auto reader = prefetcher.Open(testing::VersionOf("c", "o", data_));
  EXPECT_EQ(testing::ReadAll(*reader, data_.size(), 128 * kKiB), data_);
  // A random read (direct, no part) as well.
  std::vector<char> buffer(100 * kKiB);
  auto n = reader->Read(kMiB + 3, buffer);
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(*n, buffer.size());
  EXPECT_EQ(std::string(buffer.data(), *n), data_.substr(kMiB + 3, *n));
}

TEST_F(PrefetcherShortReplyTest, DataEndingBeforeTheSizeIsAnErrorNotEndOfFile) {
  const uint64_t data_end = 2 * kMiB + 100;
  ShortReplyClient client(fake_, data_end);
  Prefetcher prefetcher(client, counters_, testing::SmallPrefetchOptions());
  auto reader = prefetcher.Open(testing::VersionOf("c", "o", data_));
  std::vector<char> buffer(128 * kKiB);
  std::optional<Error> error;
  for (uint64_t offset = 0; offset < data_.size(); offset += buffer.size()) {
    auto n = reader->Read(offset, buffer);
    if (!n) {
      error = n.error();
      EXPECT_GT(offset + buffer.size(), data_end) << "failed before the data ended";
      break;
    }
    // Every successful read is whole and right.
    ASSERT_EQ(*n, std::min<uint64_t>(buffer.size(), data_.size() - offset)) << offset;
    ASSERT_EQ(std::string(buffer.data(), *n), data_.substr(offset, *n)) << offset;
  }
  ASSERT_TRUE(error) << "a truncated object read to its end";
  EXPECT_EQ(error->code, ErrorCode::kBadResponse);
  EXPECT_NE(error->message.find("but the object has"), std::string::npos) << error->message;
}

}  // namespace
}  // namespace swiftfs::cache
