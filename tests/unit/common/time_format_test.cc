#include "swiftfs/common/time_format.h"

#include <gtest/gtest.h>

namespace swiftfs {
namespace {

using std::chrono::seconds;

long long Epoch(const Result<WallTime>& r) {
  return std::chrono::duration_cast<seconds>(r->time_since_epoch()).count();
}

constexpr long long k20261129T090000 = 1795942800;

TEST(ParseIso8601Test, AcceptsEveryKeystoneForm) {
  EXPECT_EQ(Epoch(ParseIso8601("2026-11-29T09:00:00Z")), k20261129T090000);
  EXPECT_EQ(Epoch(ParseIso8601("2026-11-29T09:00:00.000000Z")), k20261129T090000);
  EXPECT_EQ(Epoch(ParseIso8601("2026-11-29T09:00:00")), k20261129T090000);  // no zone: UTC
  EXPECT_EQ(Epoch(ParseIso8601("2026-11-29T11:00:00+02:00")), k20261129T090000);
  EXPECT_EQ(Epoch(ParseIso8601("2026-11-29T07:30:00-0130")), k20261129T090000);
  EXPECT_EQ(Epoch(ParseIso8601("2026-11-29T09:00:00.999999")), k20261129T090000);
}

TEST(ParseIso8601Test, KeepsFraction) {
  auto r = ParseIso8601("2026-11-29T09:00:00.250Z");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(r->time_since_epoch()).count() % 1000,
      250);
}

TEST(ParseIso8601Test, RejectsGarbage) {
  for (const char* bad : {"", "null", "2026-11-29", "2026-13-01T00:00:00Z", "2026-11-29T09:00",
                          "2026-11-29T09:00:00Q", "2026-11-29T09:00:00.Z", "yesterday"}) {
    auto r = ParseIso8601(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
    }
  }
}

TEST(ParseHttpDateTest, ParsesImfFixdate) {
  EXPECT_EQ(Epoch(ParseHttpDate("Sun, 29 Nov 2026 09:00:00 GMT")), k20261129T090000);
  EXPECT_FALSE(ParseHttpDate("Sun, 29 Foo 2026 09:00:00 GMT").ok());
  EXPECT_FALSE(ParseHttpDate("29 Nov 2026").ok());
}

TEST(ParseEpochSecondsTest, ParsesFloatSeconds) {
  auto r = ParseEpochSeconds("1795942800.50000");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(r->time_since_epoch()).count(),
            1795942800500LL);
  EXPECT_FALSE(ParseEpochSeconds("12abc").ok());
  EXPECT_FALSE(ParseEpochSeconds("").ok());
}

// Each of these overflowed the 64-bit nanosecond count (undefined behaviour, a time
// thousands of years off) or was refused; now clamped to the documented range.
TEST(ParseEpochSecondsTest, ClampsToTheRepresentableRange) {
  for (const char* late : {"9223372037", "9214646400", "9300000000.5", "99999999999999999999",
                           "1e400", "1E400", "9.3e9", "inf", "  1e10  "}) {
    auto r = ParseEpochSeconds(late);
    ASSERT_TRUE(r.ok()) << late;
    EXPECT_EQ(Epoch(r), kMaxEpochSeconds) << late;
  }
  for (const char* early : {"-5", "-1e400", "-inf", "-99999999999999999999", "1e-400", "-0"}) {
    auto r = ParseEpochSeconds(early);
    ASSERT_TRUE(r.ok()) << early;
    EXPECT_EQ(Epoch(r), kMinEpochSeconds) << early;
  }
  EXPECT_EQ(FormatIso8601(*ParseEpochSeconds("1e400")), "2262-01-01T00:00:00Z");
  EXPECT_EQ(Epoch(ParseEpochSeconds("9200000000")), 9200000000LL);  // just inside: kept
}

TEST(ParseEpochSecondsTest, AcceptsFloatSpellings) {
  EXPECT_EQ(Epoch(ParseEpochSeconds("1.7959428e9")), k20261129T090000);
  auto r = ParseEpochSeconds("1795942800.25e0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(r->time_since_epoch()).count(),
            1795942800250LL);
  for (const char* bad : {"nan", "-nan", "1e", "1.5.3", "0x10", "+5", "1 2", "e5"}) {
    EXPECT_FALSE(ParseEpochSeconds(bad).ok()) << bad;
  }
}

TEST(ParseIso8601Test, ClampsYearsOutsideTheRange) {
  EXPECT_EQ(Epoch(ParseIso8601("9999-12-31T23:59:59Z")), kMaxEpochSeconds);
  EXPECT_EQ(Epoch(ParseIso8601("0000-01-01T00:00:00Z")), kMinEpochSeconds);
  EXPECT_EQ(Epoch(ParseIso8601("1969-12-31T23:59:59Z")), kMinEpochSeconds);
  EXPECT_EQ(Epoch(ParseHttpDate("Fri, 31 Dec 9999 23:59:59 GMT")), kMaxEpochSeconds);
}

TEST(FormatIso8601Test, RoundTrips) {
  auto r = ParseIso8601("2026-11-29T09:00:00Z");
  EXPECT_EQ(FormatIso8601(*r), "2026-11-29T09:00:00Z");
}

}  // namespace
}  // namespace swiftfs
