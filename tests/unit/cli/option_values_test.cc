#include "cli/option_values.h"

#include <gtest/gtest.h>

#include "swiftfs/cli/options.h"

namespace swiftfs::cli {
namespace {

TEST(OptionValuesTest, Sizes) {
  EXPECT_EQ(*ParseSize("4096"), 4096u);
  EXPECT_EQ(*ParseSize("64k"), 64u << 10);
  EXPECT_EQ(*ParseSize("64K"), 64u << 10);
  EXPECT_EQ(*ParseSize("256M"), 256u << 20);
  EXPECT_EQ(*ParseSize("2G"), uint64_t{2} << 30);
  EXPECT_FALSE(ParseSize("").ok());
  EXPECT_FALSE(ParseSize("M").ok());
  EXPECT_FALSE(ParseSize("1T").ok());
  EXPECT_FALSE(ParseSize("-1").ok());
  EXPECT_FALSE(ParseSize("1.5M").ok());
  EXPECT_FALSE(ParseSize("99999999999999999999G").ok());
  EXPECT_FALSE(ParseSize("17179869184G").ok());  // overflows 64 bits
}

TEST(OptionValuesTest, Seconds) {
  EXPECT_DOUBLE_EQ(ParseSeconds("0")->count(), 0);
  EXPECT_DOUBLE_EQ(ParseSeconds("0.25")->count(), 0.25);
  EXPECT_DOUBLE_EQ(ParseSeconds("3600")->count(), 3600);
  EXPECT_FALSE(ParseSeconds("").ok());
  EXPECT_FALSE(ParseSeconds("-1").ok());
  EXPECT_FALSE(ParseSeconds("1s").ok());
  EXPECT_FALSE(ParseSeconds("nan").ok());
  EXPECT_FALSE(ParseSeconds("1.2.3").ok());
  EXPECT_FALSE(ParseSeconds(".").ok());
  EXPECT_FALSE(ParseSeconds("99999999999").ok());
}

TEST(OptionValuesTest, LogLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), LogLevel::kDebug);
  EXPECT_EQ(*ParseLogLevel("INFO"), LogLevel::kInfo);
  EXPECT_EQ(*ParseLogLevel("warning"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::kWarning);
  EXPECT_EQ(*ParseLogLevel("error"), LogLevel::kError);
  EXPECT_EQ(*ParseLogLevel("off"), LogLevel::kOff);
  EXPECT_FALSE(ParseLogLevel("verbose").ok());
}

TEST(OptionValuesTest, UnsignedAndModes) {
  EXPECT_EQ(*ParseUnsigned("0", 10), 0u);
  EXPECT_EQ(*ParseUnsigned("10", 10), 10u);
  EXPECT_FALSE(ParseUnsigned("11", 10).ok());
  EXPECT_FALSE(ParseUnsigned("1 ", 10).ok());
  EXPECT_FALSE(ParseUnsigned("+1", 10).ok());
  EXPECT_EQ(*ParseOctalMode("022"), 022u);
  EXPECT_EQ(*ParseOctalMode("0777"), 0777u);
  EXPECT_EQ(*ParseOctalMode("7"), 7u);
  EXPECT_FALSE(ParseOctalMode("8").ok());
  EXPECT_FALSE(ParseOctalMode("07777").ok());
  EXPECT_FALSE(ParseOctalMode("").ok());
}

}  // namespace
}  // namespace swiftfs::cli
