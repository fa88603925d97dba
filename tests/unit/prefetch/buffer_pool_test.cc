// BufferPool: part-sized buffers are recycled while readers use the pool, within its bound;
// other sizes are never kept, and an idle pool holds nothing.
#include "cache/prefetch/buffer_pool.h"

#include <gtest/gtest.h>

#include <cstdint>

#include <vector>

namespace swiftfs::cache {
namespace {

TEST(BufferPoolTest, APartSizedBufferIsReusedWhileTheReaderIsOpen) {
  BufferPool pool(1024, 2);
  pool.AddUser();
  const char* first = nullptr;
  {
    BufferPool::Buffer buffer = pool.Take(1024);
    ASSERT_EQ(buffer.size(), 1024u);
    first = buffer.data();
  }
  EXPECT_EQ(pool.kept(), 1u);
  BufferPool::Buffer again = pool.Take(1024);
  EXPECT_EQ(again.data(), first);  // the same memory: no new mapping to fault in
  EXPECT_EQ(pool.kept(), 0u);
  pool.RemoveUser();
}

// The disk cache writes a block that lies in a part straight from it with O_DIRECT, which
// needs an aligned address: every buffer, kept or not, of every size, starts aligned.
TEST(BufferPoolTest, EveryBufferStartsAligned) {
  BufferPool pool(1 << 20, 2);
  pool.AddUser();
  for (size_t size : {size_t{1}, size_t{100}, size_t{4096}, size_t{1} << 20, size_t{3} << 20}) {
    for (int i = 0; i < 3; ++i) {
      BufferPool::Buffer buffer = pool.Take(size);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer.data()) % BufferPool::kAlignment, 0u) << size;
    }
  }
  pool.RemoveUser();
}

TEST(BufferPoolTest, OtherSizesAreNotKept) {
  BufferPool pool(1024, 2);
  pool.AddUser();
  { BufferPool::Buffer small = pool.Take(100); }
  EXPECT_EQ(pool.kept(), 0u);
  pool.RemoveUser();
}

TEST(BufferPoolTest, KeepsAtMostItsBound) {
  BufferPool pool(64, 2);
  pool.AddUser();
  {
    std::vector<BufferPool::Buffer> buffers;
    for (int i = 0; i < 5; ++i) buffers.push_back(pool.Take(64));
  }
  EXPECT_EQ(pool.kept(), 2u);
  pool.RemoveUser();
}

TEST(BufferPoolTest, NothingIsKeptWithoutUsersAndTheLastUserFreesTheRest) {
  BufferPool pool(64, 4);
  { BufferPool::Buffer unused = pool.Take(64); }
  EXPECT_EQ(pool.kept(), 0u);  // no reader: an idle mount holds no part memory
  pool.AddUser();
  pool.AddUser();
  { BufferPool::Buffer a = pool.Take(64); }
  pool.RemoveUser();
  EXPECT_EQ(pool.kept(), 1u);  // one reader still open
  // A buffer still in use (a part whose GET outlives its reader) is freed when it returns.
  BufferPool::Buffer late = pool.Take(64);
  pool.RemoveUser();
  EXPECT_EQ(pool.kept(), 0u);
  late = BufferPool::Buffer();
  EXPECT_EQ(pool.kept(), 0u);
}

}  // namespace
}  // namespace swiftfs::cache
