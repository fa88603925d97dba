#include "swift/swift_errors.h"

#include <gtest/gtest.h>

#include "support/fake_http_client.h"

namespace swiftfs::swift {
namespace {

using testing::Reply;

TEST(SwiftErrorsTest, StatusTable) {
  EXPECT_EQ(ErrorCodeForStatus(404), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorCodeForStatus(401), ErrorCode::kUnauthorized);
  EXPECT_EQ(ErrorCodeForStatus(403), ErrorCode::kForbidden);
  EXPECT_EQ(ErrorCodeForStatus(408), ErrorCode::kTimeout);
  EXPECT_EQ(ErrorCodeForStatus(412), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(ErrorCodeForStatus(416), ErrorCode::kRangeNotSatisfiable);
  EXPECT_EQ(ErrorCodeForStatus(429), ErrorCode::kTooManyRequests);
  EXPECT_EQ(ErrorCodeForStatus(498), ErrorCode::kTooManyRequests);
  EXPECT_EQ(ErrorCodeForStatus(500), ErrorCode::kServerError);
  EXPECT_EQ(ErrorCodeForStatus(503), ErrorCode::kServerError);
  EXPECT_EQ(ErrorCodeForStatus(599), ErrorCode::kServerError);
  EXPECT_EQ(ErrorCodeForStatus(400), ErrorCode::kBadResponse);
  EXPECT_EQ(ErrorCodeForStatus(409), ErrorCode::kConflict);
  EXPECT_EQ(ErrorCodeForStatus(413), ErrorCode::kTooLarge);
  EXPECT_EQ(ErrorCodeForStatus(422), ErrorCode::kChecksumMismatch);
  EXPECT_EQ(ErrorCodeForStatus(507), ErrorCode::kNoSpace);
  EXPECT_EQ(ErrorCodeForStatus(410), ErrorCode::kBadResponse);
  EXPECT_EQ(ErrorCodeForStatus(302), ErrorCode::kBadResponse);
  EXPECT_EQ(ErrorCodeForStatus(0), ErrorCode::kBadResponse);
}

TEST(SwiftErrorsTest, MessageNamesRequestObjectAndServerReason) {
  const Error e = ErrorFromResponse(
      http::Method::kHead, "c/o",
      Reply(404, "<html><h1>Not Found</h1><p>The resource could not be found.</p></html>"));
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.http_status, 404);
  EXPECT_EQ(e.object, "c/o");
  EXPECT_EQ(e.message, "HEAD c/o: 404 Not Found: The resource could not be found.");
  EXPECT_EQ(e.retry_after.count(), 0);
}

// Swift's quota middlewares and its size limit both answer 413; only the body tells them
// apart, and the user needs EDQUOT for one and EFBIG for the other.
TEST(SwiftErrorsTest, Status413IsQuotaOnlyWhenTheBodySaysSo) {
  const Error quota =
      ErrorFromResponse(http::Method::kPut, "c/o", Reply(413, "Upload exceeds quota."));
  EXPECT_EQ(quota.code, ErrorCode::kQuotaExceeded);
  EXPECT_EQ(quota.http_status, 413);
  EXPECT_EQ(quota.message, "PUT c/o: 413 Request Entity Too Large: Upload exceeds quota.");
  const Error size = ErrorFromResponse(
      http::Method::kPut, "c/o",
      Reply(413,
            "<html><h1>Request Entity Too Large</h1><p>The body of your request was too "
            "large for this server.</p></html>"));
  EXPECT_EQ(size.code, ErrorCode::kTooLarge);
}

TEST(SwiftErrorsTest, AccountTargetAndUnknownStatus) {
  const Error e = ErrorFromResponse(http::Method::kGet, "", Reply(418, "I'm a teapot"));
  EXPECT_EQ(e.code, ErrorCode::kBadResponse);
  EXPECT_EQ(e.message, "GET account: 418: I'm a teapot");
}

TEST(SwiftErrorsTest, RetryAfterSecondsIsKept) {
  EXPECT_EQ(ErrorFromResponse(http::Method::kGet, "c", Reply(429, "", {{"Retry-After", "3"}}))
                .retry_after,
            std::chrono::seconds(3));
  EXPECT_EQ(ErrorFromResponse(http::Method::kGet, "c",
                              Reply(503, "", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}))
                .retry_after.count(),
            0);
  EXPECT_EQ(ErrorFromResponse(http::Method::kGet, "c", Reply(503, "", {{"Retry-After", "-1"}}))
                .retry_after.count(),
            0);
}

TEST(SwiftErrorsTest, SummaryIsShortAndSingleLine) {
  EXPECT_EQ(SummarizeBody("a\r\nb\tc"), "a b c");
  EXPECT_EQ(SummarizeBody(std::string(1000, 'x')).size(), 203u);
  EXPECT_EQ(SummarizeBody(""), "");
}

}  // namespace
}  // namespace swiftfs::swift
