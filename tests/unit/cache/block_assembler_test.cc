#include "cache/disk/block_assembler.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;

std::string Str(std::span<const char> bytes) { return std::string(bytes.data(), bytes.size()); }

TEST(BlockAssemblerTest, CompletesBlocksFromPiecesInAnyOrder) {
  const std::string object = Pattern(2500);
  BlockAssembler assembler(1000, object.size());
  std::span<const char> all(object);
  EXPECT_TRUE(assembler.Add(300, all.subspan(300, 400), nullptr).empty());
  EXPECT_TRUE(assembler.Add(0, all.subspan(0, 350), nullptr).empty());
  auto done = assembler.Add(650, all.subspan(650, 1000), nullptr);  // finishes 0, half of 1
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].index, 0u);
  EXPECT_EQ(Str(done[0].bytes), object.substr(0, 1000));
  done = assembler.Add(1650, all.subspan(1650), nullptr);  // rest of 1, the short last block
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].index, 1u);
  EXPECT_EQ(Str(done[0].bytes), object.substr(1000, 1000));
  EXPECT_EQ(done[1].index, 2u);
  EXPECT_EQ(Str(done[1].bytes), object.substr(2000));
  EXPECT_EQ(assembler.pending(), 0u);
  EXPECT_TRUE(assembler.Add(0, all.first(1000), nullptr).empty());  // handed back once
}

TEST(BlockAssemblerTest, KeepsOnlyAFewIncompleteBlocks) {
  const std::string object = Pattern(10000);
  BlockAssembler assembler(1000, object.size(), 2);
  std::span<const char> all(object);
  assembler.Add(0, all.first(10), nullptr);
  assembler.Add(1000, all.subspan(1000, 10), nullptr);
  assembler.Add(2000, all.subspan(2000, 10), nullptr);  // drops block 0
  EXPECT_EQ(assembler.pending(), 2u);
  EXPECT_TRUE(assembler.Add(10, all.subspan(10, 990), nullptr).empty());  // 0 started again
}

// A sequential read's pieces lie one after the other in one prefetched part: the block is
// handed back where it lies, no copy, and holds the part until it is written.
TEST(BlockAssemblerTest, PiecesOfOneBufferAreHandedBackInPlace) {
  auto part = std::make_shared<const std::string>(Pattern(3000, 2));
  std::span<const char> all(*part);
  BlockAssembler assembler(1000, 4000);
  // The part holds the object's bytes 1000..4000; pieces come a little out of order, each
  // with an owner of its own (the reader's view), as the prefetcher's reads do.
  EXPECT_TRUE(assembler.Add(1500, all.subspan(500, 500), std::make_shared<int>(1)).empty());
  auto done = assembler.Add(1000, all.subspan(0, 500), part);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].index, 1u);
  EXPECT_EQ(done[0].bytes.data(), part->data()) << "in place, not copied";
  EXPECT_EQ(done[0].bytes.size(), 1000u);
  const std::weak_ptr<const std::string> watch = part;
  part.reset();
  EXPECT_FALSE(watch.expired()) << "the block keeps its pieces' memory";
  EXPECT_EQ(Str(done[0].bytes), Pattern(3000, 2).substr(0, 1000));
  done.clear();
  EXPECT_TRUE(watch.expired());
}

// A piece that lies elsewhere (another part) turns its block into a copy of the bytes, and
// lets go of the pieces' memory.
TEST(BlockAssemblerTest, APieceFromAnotherBufferMakesTheBlockACopy) {
  const std::string object = Pattern(2000, 3);
  auto first = std::make_shared<const std::string>(object.substr(0, 1000));
  auto second = std::make_shared<const std::string>(object.substr(1000));
  BlockAssembler assembler(1500, object.size());
  const std::weak_ptr<const std::string> watch = first;
  EXPECT_TRUE(assembler.Add(0, std::span<const char>(*first), first).empty());
  first.reset();
  EXPECT_FALSE(watch.expired());
  auto done = assembler.Add(1000, std::span<const char>(*second), second);
  EXPECT_TRUE(watch.expired()) << "copied: the first piece's memory is let go";
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(Str(done[0].bytes), object.substr(0, 1500));
  const char* copy = done[0].bytes.data();
  EXPECT_TRUE(copy < second->data() || copy >= second->data() + second->size());
  // The short last block lies whole in the second piece: in place.
  EXPECT_EQ(done[1].bytes.data(), second->data() + 500);
  EXPECT_EQ(Str(done[1].bytes), object.substr(1500));
}

}  // namespace
}  // namespace swiftfs::cache
