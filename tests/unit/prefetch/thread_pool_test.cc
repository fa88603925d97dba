#include "cache/prefetch/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

namespace swiftfs::cache {
namespace {

TEST(ThreadPoolTest, RunsEverySubmittedTask) {
  ThreadPool pool(3);
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) pool.Submit([&] { ran.fetch_add(1); });
  pool.WaitIdle();
  EXPECT_EQ(ran.load(), 100);
}

TEST(ThreadPoolTest, ZeroThreadsMeansOne) {
  ThreadPool pool(0);
  std::atomic<int> ran{0};
  pool.Submit([&] { ran.fetch_add(1); });
  pool.WaitIdle();
  EXPECT_EQ(ran.load(), 1);
}

TEST(ThreadPoolTest, DestructionReleasesWhatTasksCapturedWhetherTheyRanOrNot) {
  auto token = std::make_shared<int>(0);
  {
    ThreadPool pool(1);
    for (int i = 0; i < 50; ++i) pool.Submit([token] { ++*token; });
  }
  EXPECT_EQ(token.use_count(), 1);
}

}  // namespace
}  // namespace swiftfs::cache
