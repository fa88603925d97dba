#include "cache/disk/version_record.h"

#include <gtest/gtest.h>

namespace swiftfs::cache {
namespace {

VersionMetadata Full() {
  VersionMetadata m;
  m.meta_mtime = swift::WallTime(std::chrono::nanoseconds(1'000'000'000'500'000'000));
  m.metadata = {{"mtime", "1000000000.5"}, {"owner", "ann"}, {"empty", ""}};
  m.content_type = "text/plain; charset=utf-8";
  m.timestamp = "1700000000.12345";
  m.size = 1234567890123;
  m.symlink_target = "c2/target";
  m.symlink_target_account = "AUTH_other";
  m.is_slo = true;
  return m;
}

TEST(VersionRecordTest, RoundTripsEveryField) {
  const std::string record = EncodeVersionRecord("key", Full());
  EXPECT_EQ(DecodeVersionRecord("key", record), Full());

  VersionMetadata bare;  // no optional field, no metadata
  bare.is_dlo = true;
  EXPECT_EQ(DecodeVersionRecord("k", EncodeVersionRecord("k", bare)), bare);
}

TEST(VersionRecordTest, NegativeMtimeRoundTrips) {
  VersionMetadata m;
  m.meta_mtime = swift::WallTime(std::chrono::seconds(-86400));
  EXPECT_EQ(DecodeVersionRecord("k", EncodeVersionRecord("k", m)), m);
}

TEST(VersionRecordTest, EveryChangedByteFailsVerification) {
  const std::string record = EncodeVersionRecord("key", Full());
  for (size_t i = 0; i < record.size(); ++i) {
    std::string damaged = record;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    EXPECT_FALSE(DecodeVersionRecord("key", damaged).has_value()) << "byte " << i;
  }
}

TEST(VersionRecordTest, TruncatedOrLongerRecordsFail) {
  const std::string record = EncodeVersionRecord("key", Full());
  for (size_t n = 0; n < record.size(); ++n) {
    EXPECT_FALSE(DecodeVersionRecord("key", record.substr(0, n)).has_value()) << n;
  }
  EXPECT_FALSE(DecodeVersionRecord("key", record + '\0').has_value());
}

TEST(VersionRecordTest, ARecordUnderAnotherKeyFails) {
  const std::string record = EncodeVersionRecord("key-a", Full());
  EXPECT_FALSE(DecodeVersionRecord("key-b", record).has_value());
}

}  // namespace
}  // namespace swiftfs::cache
