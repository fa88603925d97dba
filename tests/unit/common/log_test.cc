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

TEST(LogTest, ControlCharactersInNamesAreEscapedAtTheSink) {
  CapturingLogger logger(LogLevel::kDebug);
  logger.Warning("GET c/evil\n2026-01-01 swiftfs[1] ERROR forged\x1b[2J failed");
  ASSERT_EQ(logger.Lines().size(), 1u);
  EXPECT_EQ(logger.Lines()[0],
            "WARNING GET c/evil\\n2026-01-01 swiftfs[1] ERROR forged\\x1b[2J failed");
  EXPECT_EQ(logger.Joined().find('\x1b'), std::string::npos);
}

TEST(LogTest, EscapeForLogShowsEveryControlAndInvalidByte) {
  EXPECT_EQ(EscapeForLog("a\r\tb"), "a\\r\\tb");
  EXPECT_EQ(EscapeForLog(std::string_view("nul\0del\x7f", 8)), "nul\\x00del\\x7f");
  EXPECT_EQ(EscapeForLog("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");  // valid UTF-8 kept
  EXPECT_EQ(EscapeForLog("\xc2\x9b"
                         "31m"),
            "\\xc2\\x9b31m");                                           // C1 CSI
  EXPECT_EQ(EscapeForLog("\xff\xc3"), "\\xff\\xc3");                    // invalid, truncated
  EXPECT_EQ(EscapeForLog("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(EscapeForLog("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // surrogate
  EXPECT_EQ(EscapeForLog("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
}

TEST(LogTest, EscapingTwiceChangesNothingMore) {
  // A logger forwarding to another (the daemon's SwitchableLogger) escapes twice.
  const std::string once = EscapeForLog("a\nb\\n\x01\xff");
  EXPECT_EQ(once, "a\\nb\\n\\x01\\xff");
  EXPECT_EQ(EscapeForLog(once), once);
}

}  // namespace
}  // namespace swiftfs
