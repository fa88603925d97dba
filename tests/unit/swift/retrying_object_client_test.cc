#include "swiftfs/swift/retrying_object_client.h"

#include <deque>

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace swiftfs::swift {
namespace {

using std::chrono::milliseconds;

// An ObjectClient whose every call pops the next scripted error (or succeeds when the
// script is empty), counting calls.
class ScriptedClient final : public ObjectClient {
 public:
  void Fail(Error error, int times = 1) {
    for (int i = 0; i < times; ++i) script_.push_back(error);
  }
  int calls() const { return calls_; }

  Result<ClusterInfo> GetClusterInfo() override { return Next<ClusterInfo>(); }
  Result<AccountInfo> HeadAccount() override { return Next<AccountInfo>(); }
  Result<ContainerPage> ListContainers(const std::string&, uint32_t) override {
    return Next<ContainerPage>();
  }
  Result<ContainerEntry> HeadContainer(const std::string&) override {
    return Next<ContainerEntry>();
  }
  Result<ListPage> ListObjects(const ListRequest&) override { return Next<ListPage>(); }
  Result<ObjectInfo> HeadObject(const std::string&, const std::string& name) override {
    auto r = Next<ObjectInfo>();
    if (r) r->name = name;
    return r;
  }
  Result<ReadResult> GetRange(const std::string&, const std::string&, uint64_t,
                              std::span<char> buffer, const std::string&) override {
    auto r = Next<ReadResult>();
    if (!r) return r;
    // Scribble over the buffer the way a failed transfer might, then fill it properly.
    std::fill(buffer.begin(), buffer.end(), 'z');
    ReadResult done;
    done.bytes = buffer.size();
    return done;
  }

 private:
  template <typename T>
  Result<T> Next() {
    ++calls_;
    if (script_.empty()) return T{};
    Error e = script_.front();
    script_.pop_front();
    return e;
  }

  std::deque<Error> script_;
  int calls_ = 0;
};

ListRequest Listing(std::string container) {
  ListRequest request;
  request.container = std::move(container);
  return request;
}

Error Status(ErrorCode code, int http = 0) { return MakeError(code, "scripted", http); }

class RetryingObjectClientTest : public ::testing::Test {
 protected:
  RetryingObjectClient Make(RetryPolicy policy = {}) {
    policy.seed = 42;
    return RetryingObjectClient(inner_, clock_, counters_, logger_, policy);
  }

  ScriptedClient inner_;
  testing::FakeClock clock_;
  Counters counters_;
  CapturingLogger logger_;
};

TEST_F(RetryingObjectClientTest, RetryableCodes) {
  for (ErrorCode code : {ErrorCode::kServerError, ErrorCode::kTooManyRequests, ErrorCode::kTimeout,
                         ErrorCode::kConnectionFailed}) {
    EXPECT_TRUE(IsRetryable(Status(code))) << ErrorCodeName(code);
  }
  for (ErrorCode code :
       {ErrorCode::kNotFound, ErrorCode::kUnauthorized, ErrorCode::kForbidden,
        ErrorCode::kPreconditionFailed, ErrorCode::kRangeNotSatisfiable, ErrorCode::kBadResponse,
        ErrorCode::kTlsError, ErrorCode::kCancelled, ErrorCode::kInvalidArgument}) {
    EXPECT_FALSE(IsRetryable(Status(code))) << ErrorCodeName(code);
  }
}

TEST_F(RetryingObjectClientTest, TransientFailureThenSuccess) {
  auto client = Make();
  inner_.Fail(Status(ErrorCode::kServerError, 503), 2);
  auto r = client.HeadObject("c", "o");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "o");
  EXPECT_EQ(inner_.calls(), 3);
  EXPECT_EQ(counters_.Get(Counter::kRetries), 2u);
  EXPECT_TRUE(logger_.Contains("HEAD c/o: retry 1/10"));
  EXPECT_TRUE(logger_.Contains("server-error"));
  EXPECT_GT(clock_.TotalSlept(), milliseconds(0));
}

TEST_F(RetryingObjectClientTest, AttemptsAreBounded) {
  auto client = Make();
  inner_.Fail(Status(ErrorCode::kConnectionFailed), 100);
  auto r = client.ListObjects(Listing("c"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
  EXPECT_EQ(inner_.calls(), 11);  // 1 + 10 retries
  EXPECT_EQ(counters_.Get(Counter::kRetries), 10u);
  EXPECT_TRUE(logger_.Contains("giving up after 11 attempts"));
}

TEST_F(RetryingObjectClientTest, NonRetryableErrorsReturnAtOnce) {
  auto client = Make();
  for (ErrorCode code : {ErrorCode::kNotFound, ErrorCode::kPreconditionFailed,
                         ErrorCode::kForbidden, ErrorCode::kUnauthorized}) {
    inner_.Fail(Status(code));
  }
  std::string buffer(4, '\0');
  EXPECT_EQ(client.HeadContainer("c").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(client.GetRange("c", "o", 0, std::span<char>(buffer), "e").error().code,
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(client.HeadAccount().error().code, ErrorCode::kForbidden);
  EXPECT_EQ(client.ListContainers("", 10).error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(inner_.calls(), 4);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(0));
  EXPECT_EQ(counters_.Get(Counter::kRetries), 0u);
}

TEST_F(RetryingObjectClientTest, BackoffGrowsAndStaysWithinItsBounds) {
  RetryPolicy policy;
  policy.max_retries = 3;
  policy.initial_backoff = milliseconds(100);
  policy.jitter = 0;  // exact: 100 + 200 + 400
  auto client = Make(policy);
  inner_.Fail(Status(ErrorCode::kTimeout), 10);
  EXPECT_FALSE(client.HeadAccount().ok());
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(700));
}

TEST_F(RetryingObjectClientTest, JitteredBackoffIsBetweenHalfAndFull) {
  RetryPolicy policy;
  policy.max_retries = 3;
  auto client = Make(policy);  // 100 ms doubling, jitter 0.5, 3 retries: [350, 700] ms
  inner_.Fail(Status(ErrorCode::kTimeout), 10);
  EXPECT_FALSE(client.HeadAccount().ok());
  EXPECT_GE(clock_.TotalSlept(), milliseconds(350));
  EXPECT_LE(clock_.TotalSlept(), milliseconds(700));
}

TEST_F(RetryingObjectClientTest, EachPauseIsCappedAndTheDeadlineBoundsThem) {
  RetryPolicy policy;
  policy.max_retries = 20;
  policy.initial_backoff = milliseconds(1000);
  policy.max_backoff = milliseconds(2000);
  policy.op_timeout = milliseconds(5000);
  policy.jitter = 0;
  auto client = Make(policy);
  inner_.Fail(Status(ErrorCode::kServerError), 100);
  EXPECT_FALSE(client.GetClusterInfo().ok());
  // 1000 + 2000; a third pause of 2000 would reach the deadline: no fourth attempt.
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(3000));
  EXPECT_EQ(inner_.calls(), 3);
  EXPECT_TRUE(logger_.Contains("would pass the 5000 ms operation deadline"));
}

TEST_F(RetryingObjectClientTest, RetryAfterIsHonouredWhenItFits) {
  RetryPolicy policy;
  policy.jitter = 0;
  auto client = Make(policy);
  Error busy = Status(ErrorCode::kTooManyRequests, 429);
  busy.retry_after = std::chrono::seconds(1);
  inner_.Fail(busy);
  EXPECT_TRUE(client.HeadAccount().ok());
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(1000));
}

TEST_F(RetryingObjectClientTest, ALongRetryAfterIsWaitedWithinTheDeadline) {
  auto client = Make();  // Retry-After cap 30 s, deadline 60 s
  Error busy = Status(ErrorCode::kServerError, 503);
  busy.retry_after = std::chrono::seconds(20);
  inner_.Fail(busy);
  EXPECT_TRUE(client.HeadAccount().ok());
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(20'000));
  EXPECT_EQ(inner_.calls(), 2);
}

TEST_F(RetryingObjectClientTest, RetryAfterAboveTheCapIsCutToTheCap) {
  RetryPolicy policy;
  policy.max_retry_after = milliseconds(10'000);
  auto client = Make(policy);
  Error busy = Status(ErrorCode::kTooManyRequests, 429);
  busy.retry_after = std::chrono::seconds(3600);
  inner_.Fail(busy);
  EXPECT_TRUE(client.HeadAccount().ok());
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(10'000));
}

TEST_F(RetryingObjectClientTest, RetryAfterPastTheDeadlineGivesUpAtOnce) {
  RetryPolicy policy;
  policy.op_timeout = milliseconds(10'000);
  auto client = Make(policy);
  Error busy = Status(ErrorCode::kTooManyRequests, 429);
  busy.retry_after = std::chrono::seconds(20);
  inner_.Fail(busy);
  auto r = client.HeadAccount();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(inner_.calls(), 1);
  EXPECT_EQ(clock_.TotalSlept(), milliseconds(0));
  EXPECT_TRUE(logger_.Contains("as the server asked"));
}

TEST_F(RetryingObjectClientTest, GetRangeRetryRewritesTheBuffer) {
  auto client = Make();
  inner_.Fail(Status(ErrorCode::kConnectionFailed));
  std::string buffer(8, '\0');
  auto r = client.GetRange("c", "o", 0, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes, 8u);
  EXPECT_EQ(buffer, "zzzzzzzz");
  EXPECT_EQ(inner_.calls(), 2);
}

}  // namespace
}  // namespace swiftfs::swift
