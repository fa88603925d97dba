// A FUSE interrupt (the `cancel` flag of a read) ends a read stuck on a stalled server at
// once with kCancelled: whether the read waits in its own GET or on a part that a pool
// thread is fetching.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "support/forwarding_object_client.h"
#include "swiftfs/cache/prefetcher.h"
#include "unit/prefetch/prefetch_test_util.h"

namespace swiftfs::cache {
namespace {

using testing::FakeObjectClient;
using testing::kKiB;
using testing::kMiB;

// GETs at or past `block_from` hang until Open(), unless their ReadControl is cancelled
// (as the HTTP client aborts a transfer).
class StallingClient final : public testing::ForwardingObjectClient {
 public:
  StallingClient(FakeObjectClient& fake, uint64_t block_from)
      : ForwardingObjectClient(fake), fake_(fake), block_from_(block_from) {}
  Result<swift::ReadResult> GetRange(const std::string& c, const std::string& n, uint64_t offset,
                                     std::span<char> buffer, const std::string& etag) override {
    return GetRange(c, n, offset, buffer, etag, swift::ReadControl{});
  }
  Result<swift::ReadResult> GetRange(const std::string& c, const std::string& n, uint64_t offset,
                                     std::span<char> buffer, const std::string& etag,
                                     const swift::ReadControl& control) override {
    if (offset >= block_from_) {
      std::unique_lock<std::mutex> lock(mu_);
      ++stalled_;
      cv_.notify_all();
      while (!open_ && !swift::Cancelled(control)) cv_.wait_for(lock, std::chrono::milliseconds(5));
      if (!open_) return MakeError(ErrorCode::kCancelled, "transfer aborted");
    }
    return fake_.GetRange(c, n, offset, buffer, etag);
  }
  void WaitForStalled(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stalled_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  FakeObjectClient& fake_;
  const uint64_t block_from_;
  std::mutex mu_;
  std::condition_variable cv_;
  int stalled_ = 0;
  bool open_ = false;
};

class PrefetcherInterruptTest : public ::testing::Test {
 protected:
  PrefetcherInterruptTest() : data_(testing::RandomData(4 * kMiB, 21)) {
    fake_.PutObject("c", "o", data_);
  }
  FakeObjectClient fake_;
  Counters counters_;
  std::string data_;
};

TEST_F(PrefetcherInterruptTest, AnInterruptEndsADirectReadStuckInItsGet) {
  StallingClient client(fake_, 0);
  Prefetcher prefetcher(client, counters_, testing::SmallPrefetchOptions());
  auto reader = prefetcher.Open(testing::VersionOf("c", "o", data_));
  std::atomic<bool> cancel{false};
  std::optional<Error> error;
  std::thread read([&] {
    std::vector<char> buffer(64 * kKiB);
    auto n = reader->Read(kMiB + 5, buffer, &cancel);  // a random read: one direct GET
    if (!n) error = n.error();
  });
  client.WaitForStalled(1);
  cancel = true;
  read.join();
  ASSERT_TRUE(error) << "an interrupted read succeeded";
  EXPECT_EQ(error->code, ErrorCode::kCancelled);
  client.Open();
}

TEST_F(PrefetcherInterruptTest, AnInterruptEndsAReadWaitingOnParts) {
  StallingClient client(fake_, 512 * kKiB);
  Prefetcher prefetcher(client, counters_, testing::SmallPrefetchOptions(2));
  auto reader = prefetcher.Open(testing::VersionOf("c", "o", data_));
  std::atomic<bool> cancel{false};
  std::optional<Error> error;
  std::thread read([&] {
    std::vector<char> buffer(64 * kKiB);
    for (uint64_t offset = 0; offset < data_.size(); offset += buffer.size()) {
      auto n = reader->ReadInPlace(offset, buffer.size(), &cancel);
      if (!n) {
        error = n.error();
        return;
      }
    }
  });
  client.WaitForStalled(2);  // both pool threads, or a pool thread and the reader
  cancel = true;
  read.join();
  ASSERT_TRUE(error) << "read to the end past a stalled server";
  EXPECT_EQ(error->code, ErrorCode::kCancelled);
  client.Open();
  reader.reset();
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST_F(PrefetcherInterruptTest, AnInterruptEndsALookupStuckInItsGet) {
  // A small file's lookup GETs it whole (FetchForLookup): its interrupt aborts that GET,
  // and the lookup fails with kCancelled instead of waiting out the server.
  const std::string small = testing::RandomData(16 * kKiB, 22);
  fake_.PutObject("c", "small", small);
  StallingClient client(fake_, 0);
  PrefetchOptions options = testing::SmallPrefetchOptions();
  options.lookup_bodies = 4;
  options.tree_file_max = 64 * kKiB;
  Prefetcher prefetcher(client, counters_, options);
  std::atomic<bool> cancel{false};
  std::optional<Result<swift::ObjectInfo>> fetched;
  std::thread lookup([&] {
    fetched = prefetcher.FetchForLookup(testing::VersionOf("c", "small", small), &cancel);
  });
  client.WaitForStalled(1);
  cancel = true;
  lookup.join();
  ASSERT_TRUE(fetched.has_value()) << "the lookup did not GET";
  ASSERT_FALSE(fetched->ok()) << "an interrupted lookup succeeded";
  EXPECT_EQ(fetched->error().code, ErrorCode::kCancelled);
  client.Open();
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);  // no body kept
}

}  // namespace
}  // namespace swiftfs::cache
