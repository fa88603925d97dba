// Concurrent reads: the kernel may issue several reads on one handle at once (async reads),
// and many files are read at the same time.

#include <gtest/gtest.h>

#include <thread>

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

TEST(PrefetcherConcurrencyTest, ThreadsSharingOneHandleGetExactBytes) {
  FakeObjectClient fake;
  Counters counters;
  const std::string data = RandomData(6 * kMiB + 333, 7);
  fake.PutObject("c", "o", data);
  Prefetcher prefetcher(fake, counters, SmallPrefetchOptions(4, 8 * kMiB));
  auto reader = prefetcher.Open(VersionOf("c", "o", data));

  constexpr int kThreads = 4;
  constexpr size_t kChunk = 128 * kKiB;
  const size_t chunks = (data.size() + kChunk - 1) / kChunk;
  std::string out(data.size(), '\0');
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::atomic<size_t> next_chunk{0};
  for (int t = 0; t < kThreads; ++t) {
    // Like FUSE workers taking the kernel's read-ahead requests off one queue: the requests
    // are in order, the reads they become overlap and finish out of order.
    threads.emplace_back([&] {
      for (size_t i = next_chunk++; i < chunks; i = next_chunk++) {
        const size_t length = std::min(kChunk, out.size() - i * kChunk);
        auto n = reader->Read(i * kChunk, std::span<char>(out.data() + i * kChunk, length));
        if (!n || *n != length) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(out == data);
  // Reordered reads still make one stream: most are served from parts.
  EXPECT_GT(counters.Get(Counter::kPrefetchHits), chunks / 2);
  reader.reset();
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST(PrefetcherConcurrencyTest, ManyHandlesReadInParallelWithinTheBudget) {
  FakeObjectClient fake;
  Counters counters;
  const PrefetchOptions options = SmallPrefetchOptions(4, 8 * kMiB);
  Prefetcher prefetcher(fake, counters, options);
  constexpr int kFiles = 6;
  std::vector<std::string> data;
  for (int i = 0; i < kFiles; ++i) {
    data.push_back(RandomData(3 * kMiB + i * 1000, 50 + i));
    fake.PutObject("c", "o" + std::to_string(i), data.back());
  }
  std::vector<std::string> out(kFiles);
  std::vector<std::thread> threads;
  for (int i = 0; i < kFiles; ++i) {
    threads.emplace_back([&, i] {
      auto reader = prefetcher.Open(VersionOf("c", "o" + std::to_string(i), data[i]));
      out[i] = testing::ReadAll(*reader, data[i].size(), 128 * kKiB);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kFiles; ++i) EXPECT_TRUE(out[i] == data[i]) << i;
  EXPECT_LE(prefetcher.budget().peak(), options.memory_budget);
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST(PrefetcherConcurrencyTest, ClosingWhileFetchesAreInFlightIsSafe) {
  FakeObjectClient fake;
  Counters counters;
  const std::string data = RandomData(4 * kMiB, 9);
  fake.PutObject("c", "o", data);
  Prefetcher prefetcher(fake, counters, SmallPrefetchOptions(4, 8 * kMiB));
  std::vector<char> buffer(128 * kKiB);
  for (int round = 0; round < 20; ++round) {
    auto reader = prefetcher.Open(VersionOf("c", "o", data));
    for (uint64_t offset = 0; offset < (round % 5 + 3) * buffer.size(); offset += buffer.size()) {
      ASSERT_TRUE(reader->Read(offset, buffer));
    }
  }  // each reader is closed with parts queued or on the wire
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST(PrefetcherConcurrencyTest, AStalledObjectDoesNotStallReadsOfOthers) {
  FakeObjectClient fake;
  Counters counters;
  const std::string slow = RandomData(4 * kMiB, 11), fast = RandomData(3 * kMiB + 5, 12);
  fake.PutObject("c", "slow", slow);
  fake.PutObject("c", "fast", fast);
  // GETs of "slow" past its first 512 KiB (by then its reader is a stream with parts in
  // flight) wait here until the end of the test.
  testing::Gate gate;
  fake.SetFaultHook(FakeObjectClient::Op::kGetRange,
                    [&](const FakeObjectClient::Call& call) -> std::optional<Error> {
                      if (call.name == "slow" && call.offset >= 512 * kKiB) gate.Pass();
                      return std::nullopt;
                    });
  Prefetcher prefetcher(fake, counters, SmallPrefetchOptions(2, 16 * kMiB));
  std::thread stuck([&] {
    auto reader = prefetcher.Open(VersionOf("c", "slow", slow));
    EXPECT_EQ(testing::ReadAll(*reader, slow.size(), 64 * kKiB), slow);
  });
  // Both pool threads are stuck in GETs of "slow" (its reader waits for one of them, or
  // is stuck in a GET of its own): no pool thread is left for the parts of "fast".
  gate.WaitForWaiters(2);
  auto reader = prefetcher.Open(VersionOf("c", "fast", fast));
  EXPECT_TRUE(testing::ReadAll(*reader, fast.size(), 128 * kKiB) == fast);
  gate.Open();
  stuck.join();
}

}  // namespace
}  // namespace swiftfs::cache
