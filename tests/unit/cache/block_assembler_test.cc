#include "cache/disk/block_assembler.h"

#include <gtest/gtest.h>

#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;

TEST(BlockAssemblerTest, CompletesBlocksFromPiecesInAnyOrder) {
  const std::string object = Pattern(2500);
  BlockAssembler assembler(1000, object.size());
  std::span<const char> all(object);
  EXPECT_TRUE(assembler.Add(300, all.subspan(300, 400)).empty());
  EXPECT_TRUE(assembler.Add(0, all.subspan(0, 350)).empty());
  auto done = assembler.Add(650, all.subspan(650, 1000));  // finishes block 0, half of 1
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].index, 0u);
  EXPECT_EQ(*done[0].data, object.substr(0, 1000));
  done = assembler.Add(1650, all.subspan(1650));  // rest of 1, and the short last block
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].index, 1u);
  EXPECT_EQ(*done[0].data, object.substr(1000, 1000));
  EXPECT_EQ(done[1].index, 2u);
  EXPECT_EQ(*done[1].data, object.substr(2000));
  EXPECT_EQ(assembler.pending(), 0u);
  EXPECT_TRUE(assembler.Add(0, all.first(1000)).empty());  // a block is handed back once
}

TEST(BlockAssemblerTest, KeepsOnlyAFewIncompleteBlocks) {
  const std::string object = Pattern(10000);
  BlockAssembler assembler(1000, object.size(), 2);
  std::span<const char> all(object);
  assembler.Add(0, all.first(10));
  assembler.Add(1000, all.subspan(1000, 10));
  assembler.Add(2000, all.subspan(2000, 10));  // drops block 0
  EXPECT_EQ(assembler.pending(), 2u);
  EXPECT_TRUE(assembler.Add(10, all.subspan(10, 990)).empty());  // block 0 started again
}

}  // namespace
}  // namespace swiftfs::cache
