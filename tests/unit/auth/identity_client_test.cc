#include "auth/identity_client.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/fake_http_client.h"

namespace swiftfs::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class IdentityClientTest : public ::testing::Test {
 protected:
  Result<http::Response> Send() {
    http::Request request;
    request.method = http::Method::kPost;
    request.url = "http://keystone.test/v3/auth/tokens";
    return identity_.SendTokenRequest(request, "POST http://keystone.test/v3/auth/tokens");
  }

  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
  auth::IdentityClient identity_{http_, clock_, logger_, counters_};
};

TEST_F(IdentityClientTest, HonoursRetryAfterInSecondsAndAsHttpDate) {
  http_.Enqueue(Reply(429, "", {{"Retry-After", "3"}}));
  // FakeClock is at 2026-01-01T00:00:03Z by the second attempt: 5 s more.
  http_.Enqueue(Reply(503, "", {{"Retry-After", "Thu, 01 Jan 2026 00:00:08 GMT"}}));
  http_.Enqueue(Reply(201, "{}"));
  auto response = Send();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(clock_.TotalSlept(), seconds(8));
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 3u);
  EXPECT_EQ(counters_.Get(Counter::kRetries), 2u);
}

TEST_F(IdentityClientTest, ExponentialBackoffWithoutRetryAfterAndBoundedAttempts) {
  http_.SetHandler([](const http::Request&) { return Reply(502); });
  auto response = Send();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 502);  // the caller maps the final status
  EXPECT_EQ(http_.RequestCount(), 4u);
  EXPECT_EQ(clock_.TotalSlept(), seconds(1 + 2 + 4));
}

TEST_F(IdentityClientTest, LongRetryAfterIsCappedAndTheTotalIsBounded) {
  http_.SetHandler([](const http::Request&) { return Reply(429, "", {{"Retry-After", "3600"}}); });
  auto response = Send();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 429);
  // 30 s per wait at most, 60 s in all: two waits, three attempts.
  EXPECT_EQ(clock_.TotalSlept(), seconds(60));
  EXPECT_EQ(http_.RequestCount(), 3u);
}

TEST_F(IdentityClientTest, HugeRetryAfterIsCappedNotOverflowed) {
  // 9.3e15 s is 9.3e18 ms: past INT64_MAX, so unclamped it would wrap to a negative delay.
  http_.SetHandler([](const http::Request&) {
    return Reply(503, "", {{"Retry-After", "9300000000000000"}});
  });
  auto response = Send();
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(clock_.TotalSlept(), seconds(60));
  EXPECT_EQ(http_.RequestCount(), 3u);
}

TEST_F(IdentityClientTest, GarbageRetryAfterFallsBackToBackoff) {
  http_.Enqueue(Reply(429, "", {{"Retry-After", "soon"}}));
  http_.Enqueue(Reply(201, "{}"));
  ASSERT_TRUE(Send().ok());
  EXPECT_EQ(clock_.TotalSlept(), seconds(1));
}

TEST_F(IdentityClientTest, ClientErrorsAndTransportErrorsAreNotRetried) {
  http_.Enqueue(Reply(401));
  auto denied = Send();
  ASSERT_TRUE(denied.ok());
  EXPECT_EQ(http_.RequestCount(), 1u);

  http_.Enqueue(Reply(501));
  ASSERT_TRUE(Send().ok());
  EXPECT_EQ(http_.RequestCount(), 2u);

  http_.Enqueue(MakeError(ErrorCode::kConnectionFailed, "refused"));
  auto refused = Send();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(http_.RequestCount(), 3u);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(0));
}

TEST_F(IdentityClientTest, SetsADeadlineAndCountsOnlyTokenRequests) {
  http_.Enqueue(Reply(200));
  http::Request request;
  request.url = "http://keystone.test/";
  ASSERT_TRUE(identity_.Send(request, "GET http://keystone.test/").ok());
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 0u);
  EXPECT_GT(http_.Requests().at(0).timeout.count(), 0);
}

}  // namespace
}  // namespace swiftfs::testing
