#include "swiftfs/cache/prefetch_memory_budget.h"

#include <gtest/gtest.h>

namespace swiftfs::cache {
namespace {

TEST(MemoryBudgetTest, ReservesWithinTheLimitAndRefusesBeyond) {
  MemoryBudget budget(100);
  auto a = budget.TryReserve(60);
  ASSERT_TRUE(a);
  EXPECT_EQ(a.bytes(), 60u);
  EXPECT_FALSE(budget.TryReserve(41));
  auto b = budget.TryReserve(40);
  EXPECT_TRUE(b);
  EXPECT_EQ(budget.in_use(), 100u);
  EXPECT_FALSE(budget.TryReserve(1));
}

TEST(MemoryBudgetTest, RefusesMoreThanTheWholeLimit) {
  MemoryBudget budget(100);
  EXPECT_FALSE(budget.TryReserve(101));
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(MemoryBudgetTest, DestroyingOrResettingAReservationReturnsItsBytes) {
  MemoryBudget budget(100);
  {
    auto a = budget.TryReserve(70);
    EXPECT_EQ(budget.in_use(), 70u);
  }
  EXPECT_EQ(budget.in_use(), 0u);
  auto b = budget.TryReserve(30);
  b.Reset();
  EXPECT_FALSE(b);
  EXPECT_EQ(budget.in_use(), 0u);
  b.Reset();  // idempotent
  EXPECT_EQ(budget.in_use(), 0u);
  EXPECT_EQ(budget.peak(), 70u);
}

TEST(MemoryBudgetTest, MovingTransfersOwnershipOnce) {
  MemoryBudget budget(100);
  auto a = budget.TryReserve(50);
  MemoryBudget::Reservation b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_TRUE(b);
  MemoryBudget::Reservation c;
  c = std::move(b);
  EXPECT_EQ(budget.in_use(), 50u);
  c = budget.TryReserve(20);  // the old 50 are returned by the assignment
  EXPECT_EQ(budget.in_use(), 20u);
}

}  // namespace
}  // namespace swiftfs::cache
