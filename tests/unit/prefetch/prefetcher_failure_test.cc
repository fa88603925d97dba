// Prefetcher behaviour when the store fails or the object changes under a reader.

#include <gtest/gtest.h>

#include "swiftfs/cache/prefetcher.h"
#include "unit/prefetch/prefetch_test_util.h"

namespace swiftfs::cache {
namespace {

using testing::FakeObjectClient;
using testing::kKiB;
using testing::kMiB;
using testing::RandomData;
using testing::SmallPrefetchOptions;
using testing::VersionOf;

Error ServiceUnavailable() { return MakeError(ErrorCode::kServerError, "503", 503, "c/o"); }

bool IsPowerOfTwo(size_t n) { return n != 0 && (n & (n - 1)) == 0; }

class PrefetcherFailureTest : public ::testing::Test {
 protected:
  PrefetcherFailureTest() : old_data_(RandomData(4 * kMiB, 1)) {
    fake_.PutObject("c", "o", old_data_);
    version_ = VersionOf("c", "o", old_data_);
  }

  FakeObjectClient fake_;
  Counters counters_;
  std::string old_data_;
  ObjectVersion version_;
};

TEST_F(PrefetcherFailureTest, ObjectReplacedMidReadFailsWithPreconditionNeverMixingVersions) {
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(version_);
  std::vector<char> buffer(128 * kKiB);
  uint64_t offset = 0;
  for (; offset < kMiB; offset += buffer.size()) ASSERT_TRUE(reader->Read(offset, buffer));

  fake_.PutObject("c", "o", RandomData(4 * kMiB, 2));
  std::optional<Error> error;
  for (; offset < old_data_.size(); offset += buffer.size()) {
    auto n = reader->Read(offset, buffer);
    if (!n) {
      error = n.error();
      break;
    }
    // Parts fetched before the change may still be served: they are the old version.
    ASSERT_EQ(std::string(buffer.data(), *n), old_data_.substr(offset, *n)) << offset;
  }
  ASSERT_TRUE(error) << "read to the end of a replaced object";
  EXPECT_EQ(error->code, ErrorCode::kPreconditionFailed);

  // A random read of the old version fails the same way.
  auto n = reader->Read(3 * kMiB + 1, buffer);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kPreconditionFailed);
  reader.reset();
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST_F(PrefetcherFailureTest, FailedPartsAreRetriedAsDirectReads) {
  // Parts have power-of-two lengths; the 100,000-byte direct reads do not.
  fake_.SetFaultHook(FakeObjectClient::Op::kGetRange, [](const FakeObjectClient::Call& call) {
    return IsPowerOfTwo(call.length) ? std::optional<Error>(ServiceUnavailable()) : std::nullopt;
  });
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(version_);
  EXPECT_EQ(testing::ReadAll(*reader, old_data_.size(), 100'000), old_data_);
  EXPECT_EQ(counters_.Get(Counter::kPrefetchHits), 0u);
  reader.reset();
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

// A part that ran out of the operation's deadline has spent it on retries already: the read
// fails with that timeout instead of waiting a second deadline on a direct read.
TEST_F(PrefetcherFailureTest, APartThatTimedOutFailsTheReadWithoutADirectRead) {
  // Parts have power-of-two lengths; the 100,000-byte direct reads do not (and succeed).
  fake_.SetFaultHook(FakeObjectClient::Op::kGetRange, [](const FakeObjectClient::Call& call) {
    return IsPowerOfTwo(call.length)
               ? std::optional<Error>(MakeError(ErrorCode::kTimeout, "deadline passed"))
               : std::nullopt;
  });
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(version_);
  std::vector<char> buffer(100'000);
  std::optional<Error> error;
  for (uint64_t offset = 0; offset < old_data_.size() && !error; offset += buffer.size()) {
    auto n = reader->Read(offset, buffer);
    if (!n) error = n.error();
  }
  ASSERT_TRUE(error) << "parts that time out must fail the read";
  EXPECT_EQ(error->code, ErrorCode::kTimeout);
  reader.reset();
  prefetcher.WaitIdle();
}

TEST_F(PrefetcherFailureTest, APartAndItsRetryFailingFailsTheReadWithThatError) {
  fake_.SetFaultHook(FakeObjectClient::Op::kGetRange, [](const FakeObjectClient::Call& call) {
    return call.offset >= kMiB ? std::optional<Error>(ServiceUnavailable()) : std::nullopt;
  });
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(version_);
  std::vector<char> buffer(128 * kKiB);
  std::optional<Error> error;
  for (uint64_t offset = 0; offset < old_data_.size(); offset += buffer.size()) {
    auto n = reader->Read(offset, buffer);
    if (!n) {
      error = n.error();
      EXPECT_GE(offset + buffer.size(), kMiB);
      break;
    }
    ASSERT_EQ(std::string(buffer.data(), *n), old_data_.substr(offset, *n));
  }
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kServerError);
}

TEST_F(PrefetcherFailureTest, ADirectReadErrorIsReturnedAndTheNextReadWorks) {
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(version_);
  std::vector<char> buffer(4096);
  fake_.FailNext(FakeObjectClient::Op::kGetRange, 1, ServiceUnavailable());
  auto failed = reader->Read(2 * kMiB, buffer);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kServerError);
  auto n = reader->Read(2 * kMiB, buffer);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buffer.data(), *n), old_data_.substr(2 * kMiB, 4096));
}

TEST(PrefetchOptionsTest, ValidateNamesTheBadOption) {
  EXPECT_TRUE(PrefetchOptions{}.Validate());
  PrefetchOptions o;
  o.window_max = o.window_min / 2;
  ASSERT_FALSE(o.Validate());
  EXPECT_EQ(o.Validate().error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(o.Validate().error().message.find("window_max"), std::string::npos);
  o = PrefetchOptions{};
  o.threads = 0;
  EXPECT_FALSE(o.Validate());
  o = PrefetchOptions{};
  o.part_size = 0;
  EXPECT_FALSE(o.Validate());
}

}  // namespace
}  // namespace swiftfs::cache
