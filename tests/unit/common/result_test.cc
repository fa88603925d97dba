#include "swiftfs/common/result.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>

namespace swiftfs {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return MakeError(ErrorCode::kInvalidArgument, "odd");
  return x / 2;
}

TEST(ResultTest, HoldsValue) {
  auto r = Half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
}

TEST(ResultTest, HoldsError) {
  auto r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(ResultTest, MoveOnlyValue) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, StatusDefaultsToOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  Status bad = MakeError(ErrorCode::kNotFound, "gone", 404, "c/o");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().ToString(), "not-found [c/o] (HTTP 404): gone");
}

TEST(ErrnoTextTest, NamesTheErrorOrItsNumber) {
  EXPECT_EQ(ErrnoText(ENOSPC), "No space left on device");
  EXPECT_EQ(ErrnoText(EINVAL), "Invalid argument");
  EXPECT_EQ(ErrnoText(123456), "error 123456");
}

}  // namespace
}  // namespace swiftfs
