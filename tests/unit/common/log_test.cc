#include "swiftfs/common/log.h"

#include <gtest/gtest.h>

namespace swiftfs {
namespace {

TEST(LogTest, ThresholdFilters) {
  CapturingLogger logger(LogLevel::kInfo);
  logger.Debug("hidden");
  logger.Info("shown");
  EXPECT_FALSE(logger.Contains("hidden"));
  EXPECT_TRUE(logger.Contains("INFO shown"));
}

}  // namespace
}  // namespace swiftfs
