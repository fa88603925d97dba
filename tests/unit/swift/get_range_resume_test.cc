// A ranged read through RetryingObjectClient over SwiftClient must yield exactly the bytes
// asked for whatever the server does short of an error: a 206 shorter than the range, a
// body cut off cleanly or by a reset, a 200 ignoring the Range. The resumed request asks
// for exactly what is missing.

#include <functional>
#include <string>
#include <vector>

#include "range_fault_server.h"
#include "support/fake_clock.h"
#include "swift_client_fixture.h"
#include "swiftfs/swift/retrying_object_client.h"

namespace swiftfs::swift {
namespace {

class GetRangeResumeTest : public SwiftClientTest {
 protected:
  GetRangeResumeTest() : retrying_(client_, clock_, counters_, logger_, Policy()) {}
  static RetryPolicy Policy() {
    RetryPolicy policy;
    policy.seed = 7;
    return policy;
  }

  // Serves request i with faults[i] (no fault once the list is used up).
  void Script(std::vector<Fault> faults) {
    http_.SetHandler([faults, n = std::make_shared<size_t>(0)](const http::Request& request) {
      const size_t i = (*n)++;
      return Answer(request, i < faults.size() ? faults[i] : Fault{Fault::kNone});
    });
  }

  Result<std::string> Read(uint64_t offset, size_t size) {
    std::string buffer(size, '\0');
    auto r = retrying_.GetRange("c", "o", offset, std::span<char>(buffer), "etag");
    if (!r) return std::move(r).error();
    EXPECT_TRUE(r->complete);
    buffer.resize(r->bytes);
    return buffer;
  }

  std::vector<std::string> Ranges() const {
    std::vector<std::string> out;
    for (const auto& request : http_.Requests()) {
      out.push_back(request.headers.Get("Range").value_or("none") + " " +
                    request.headers.Get("If-Match").value_or("-"));
    }
    return out;
  }

  testing::FakeClock clock_;
  RetryingObjectClient retrying_;
};

TEST_F(GetRangeResumeTest, AShort206IsCompletedFromTheByteReached) {
  Script({{Fault::kShort206, 100}, {Fault::kShort206, 300}});
  EXPECT_EQ(*Read(0, 1000), kData.substr(0, 1000));
  EXPECT_EQ(Ranges(), (std::vector<std::string>{"bytes=0-999 \"etag\"", "bytes=100-999 \"etag\"",
                                                "bytes=400-999 \"etag\""}));
  EXPECT_EQ(clock_.TotalSlept(), std::chrono::nanoseconds(0));  // progress: no backoff
}

TEST_F(GetRangeResumeTest, AShortCleanBodyOfA200IsCompleted) {
  Script({{Fault::kShortBody200, 50}});
  EXPECT_EQ(*Read(1000, 500), kData.substr(1000, 500));
  EXPECT_EQ(Ranges(),
            (std::vector<std::string>{"bytes=1000-1499 \"etag\"", "bytes=1050-1499 \"etag\""}));
}

TEST_F(GetRangeResumeTest, AResumedReadKeepsTheObjectHeadersOfItsFirstReply) {
  Script({{Fault::kShortBody200, 50}});
  std::string buffer(500, '\0');
  auto r = retrying_.GetRange("c", "o", 1000, std::span<char>(buffer), "etag");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(http_.RequestCount(), 2u);
  ASSERT_TRUE(r->info.has_value());  // the resumed 206 carries no Content-Length here
  EXPECT_EQ(r->info->size, kData.size());
}

TEST_F(GetRangeResumeTest, AResetMidBodyResumesWithoutFetchingAgain) {
  Script({{Fault::kReset206, 700}, {Fault::kReset206, 1}});
  EXPECT_EQ(*Read(10, 1000), kData.substr(10, 1000));
  EXPECT_EQ(Ranges(), (std::vector<std::string>{"bytes=10-1009 \"etag\"", "bytes=710-1009 \"etag\"",
                                                "bytes=711-1009 \"etag\""}));
  EXPECT_EQ(counters_.Get(Counter::kBytesFetched), 1000u);
}

TEST_F(GetRangeResumeTest, A200IgnoringTheRangeYieldsTheRightSlice) {
  Script({{Fault::kIgnoreRange}, {Fault::kIgnoreRange}});
  EXPECT_EQ(*Read(4000, 600), kData.substr(4000, 600));
  EXPECT_EQ(*Read(4900, 600), kData.substr(4900));  // ends inside the range: no more GETs
  EXPECT_EQ(http_.RequestCount(), 2u);
}

TEST_F(GetRangeResumeTest, AShortReplyAtTheObjectsEndIsTheEnd) {
  Script({});
  EXPECT_EQ(*Read(4990, 100), kData.substr(4990));
  EXPECT_EQ(http_.RequestCount(), 1u);
}

TEST_F(GetRangeResumeTest, AFailedResumeIsRetriedFromTheByteReached) {
  Script({{Fault::kReset206, 200}, {Fault::kServerError}, {Fault::kShort206, 10}});
  EXPECT_EQ(*Read(0, 1000), kData.substr(0, 1000));
  EXPECT_EQ(Ranges(),
            (std::vector<std::string>{"bytes=0-999 \"etag\"", "bytes=200-999 \"etag\"",
                                      "bytes=200-999 \"etag\"", "bytes=210-999 \"etag\""}));
  EXPECT_GT(clock_.TotalSlept(), std::chrono::nanoseconds(0));  // backoff after the 503
}

TEST_F(GetRangeResumeTest, EachAttemptCarriesTheTimeLeftAndTheCancelFlag) {
  Script({{Fault::kServerError}});
  std::atomic<bool> cancel{false};
  std::string buffer(100, '\0');
  ReadControl control;
  control.cancel = &cancel;
  ASSERT_TRUE(retrying_.GetRange("c", "o", 0, std::span<char>(buffer), "", control).ok());
  const auto requests = http_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].cancel, &cancel);
  EXPECT_EQ(requests[0].timeout, Policy().op_timeout);
  // The second attempt, after a backoff, gets what is left of the deadline.
  EXPECT_EQ(requests[1].timeout,
            Policy().op_timeout -
                std::chrono::duration_cast<std::chrono::milliseconds>(clock_.TotalSlept()));
}

TEST_F(GetRangeResumeTest, A416TellsTheObjectsSize) {
  http_.Enqueue(testing::Reply(416, "", {{"Content-Range", "bytes */5000"}}));
  std::string buffer(10, '\0');
  auto r = client_.GetRange("c", "o", 6000, std::span<char>(buffer), "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->bytes, 0u);
  EXPECT_EQ(r->object_size, 5000u);
  EXPECT_TRUE(r->complete);
}

TEST_F(GetRangeResumeTest, AServerThatNeverSendsDataFailsBoundedly) {
  http_.SetHandler([](const http::Request& request) {
    return Answer(request, {Fault::kShortBody200, 0});  // 200, closed before the offset
  });
  auto r = Read(100, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
  EXPECT_EQ(http_.RequestCount(), 1u + Policy().max_retries);
}

}  // namespace
}  // namespace swiftfs::swift
