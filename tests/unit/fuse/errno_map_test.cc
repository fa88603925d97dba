#include "swiftfs/fuse/errno_map.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <set>

namespace swiftfs::fuse {
namespace {

struct Row {
  ErrorCode code;
  int expected;
};

// The whole table, one row per ErrorCode: a new code without a row fails AllCodesCovered.
constexpr Row kTable[] = {
    {ErrorCode::kNotFound, ENOENT},
    {ErrorCode::kUnauthorized, EACCES},
    {ErrorCode::kForbidden, EACCES},
    {ErrorCode::kPreconditionFailed, ESTALE},
    {ErrorCode::kRangeNotSatisfiable, EINVAL},
    {ErrorCode::kTooManyRequests, EIO},
    {ErrorCode::kServerError, EIO},
    {ErrorCode::kBadResponse, EIO},
    {ErrorCode::kTimeout, EIO},
    {ErrorCode::kConnectionFailed, EIO},
    {ErrorCode::kTlsError, EIO},
    {ErrorCode::kNameTooLong, ENAMETOOLONG},
    {ErrorCode::kInvalidArgument, EINVAL},
    {ErrorCode::kNotADirectory, ENOTDIR},
    {ErrorCode::kIsADirectory, EISDIR},
    {ErrorCode::kNotEmpty, ENOTEMPTY},
    {ErrorCode::kNoData, ENODATA},
    {ErrorCode::kRange, ERANGE},
    {ErrorCode::kReadOnly, EROFS},
    {ErrorCode::kNotSupported, ENOTSUP},
    {ErrorCode::kCancelled, EINTR},
    {ErrorCode::kConfig, EIO},
    {ErrorCode::kInternal, EIO},
    {ErrorCode::kNoSpace, ENOSPC},
    {ErrorCode::kQuotaExceeded, EDQUOT},
    {ErrorCode::kTooLarge, EFBIG},
    {ErrorCode::kChecksumMismatch, EIO},
    {ErrorCode::kExists, EEXIST},
    {ErrorCode::kConflict, ENOTEMPTY},
    {ErrorCode::kCrossDevice, EXDEV},
};

TEST(ErrnoMapTest, EveryCodeMapsToItsErrno) {
  for (const Row& row : kTable) {
    EXPECT_EQ(ErrnoFor(row.code), row.expected) << ErrorCodeName(row.code);
  }
}

TEST(ErrnoMapTest, AllCodesCovered) {
  std::set<ErrorCode> seen;
  for (const Row& row : kTable) seen.insert(row.code);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kLastErrorCode) + 1);
}

TEST(ErrnoMapTest, ErrnoIsAlwaysPositive) {
  for (int c = 0; c <= static_cast<int>(kLastErrorCode); ++c) {
    EXPECT_GT(ErrnoFor(static_cast<ErrorCode>(c)), 0);
  }
}

TEST(ErrnoMapTest, ExpectedOutcomesLogQuietlyFailuresLoudly) {
  EXPECT_EQ(LogLevelFor(ErrorCode::kNotFound), LogLevel::kDebug);
  EXPECT_EQ(LogLevelFor(ErrorCode::kNoData), LogLevel::kDebug);
  EXPECT_EQ(LogLevelFor(ErrorCode::kReadOnly), LogLevel::kDebug);
  EXPECT_EQ(LogLevelFor(ErrorCode::kServerError), LogLevel::kWarning);
  EXPECT_EQ(LogLevelFor(ErrorCode::kTimeout), LogLevel::kWarning);
  EXPECT_EQ(LogLevelFor(ErrorCode::kPreconditionFailed), LogLevel::kWarning);
  EXPECT_EQ(LogLevelFor(ErrorCode::kUnauthorized), LogLevel::kWarning);
  EXPECT_EQ(LogLevelFor(ErrorCode::kInternal), LogLevel::kError);
}

}  // namespace
}  // namespace swiftfs::fuse
