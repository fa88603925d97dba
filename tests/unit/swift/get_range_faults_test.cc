// Ranged reads under a mix of faults (every read right, none failed) and under a server
// that trickles forever (the operation's deadline ends it with kTimeout).

#include <random>
#include <string>
#include <vector>

#include "range_fault_server.h"
#include "support/fake_clock.h"
#include "swift_client_fixture.h"
#include "swiftfs/swift/retrying_object_client.h"

namespace swiftfs::swift {
namespace {

class GetRangeFaultsTest : public SwiftClientTest {
 protected:
  testing::FakeClock clock_;
};

TEST_F(GetRangeFaultsTest, EveryReadSurvivesAMixOfTransientFaults) {
  // 10 % 503, 5 % resets mid-body, 5 % short bodies, 5 % short 206 (the mix).
  http_.SetHandler([rng = std::make_shared<std::mt19937>(1234)](const http::Request& request) {
    const int dice = static_cast<int>((*rng)() % 100);
    const size_t cut = (*rng)() % 400;
    if (dice < 10) return Answer(request, {Fault::kServerError});
    if (dice < 15) return Answer(request, {Fault::kReset206, cut});
    if (dice < 20) return Answer(request, {Fault::kShortBody200, cut});
    if (dice < 25) return Answer(request, {Fault::kShort206, cut + 1});
    return Answer(request, {Fault::kNone});
  });
  RetryPolicy policy;
  policy.seed = 99;
  RetryingObjectClient retrying(client_, clock_, counters_, logger_, policy);
  std::mt19937 pick(42);
  for (int i = 0; i < 500; ++i) {
    const uint64_t offset = pick() % kData.size();
    std::string buffer(1 + pick() % 1500, '\0');
    const size_t expected = std::min<uint64_t>(buffer.size(), kData.size() - offset);
    auto r = retrying.GetRange("c", "o", offset, std::span<char>(buffer), "");
    ASSERT_TRUE(r.ok()) << "read " << i << ": " << r.error().ToString();
    ASSERT_EQ(r->bytes, expected) << "read " << i;
    buffer.resize(r->bytes);
    ASSERT_EQ(buffer, kData.substr(offset, buffer.size())) << "read " << i;
  }
}

// Sends one byte per attempt, each taking a second: always progress, never done.
class TricklingClient final : public ObjectClient {
 public:
  explicit TricklingClient(testing::FakeClock& clock) : clock_(clock) {}
  Result<ClusterInfo> GetClusterInfo() override { return ClusterInfo{}; }
  Result<AccountInfo> HeadAccount() override { return AccountInfo{}; }
  Result<ContainerPage> ListContainers(const std::string&, uint32_t) override {
    return ContainerPage{};
  }
  Result<ContainerEntry> HeadContainer(const std::string&) override { return ContainerEntry{}; }
  Result<ListPage> ListObjects(const ListRequest&) override { return ListPage{}; }
  Result<ObjectInfo> HeadObject(const std::string&, const std::string&) override {
    return ObjectInfo{};
  }
  Result<ReadResult> GetRange(const std::string& c, const std::string& n, uint64_t offset,
                              std::span<char> buffer, const std::string& e) override {
    return GetRange(c, n, offset, buffer, e, ReadControl{});
  }
  Result<ReadResult> GetRange(const std::string&, const std::string&, uint64_t,
                              std::span<char> buffer, const std::string&,
                              const ReadControl& control) override {
    timeouts.push_back(control.timeout);
    clock_.Advance(std::chrono::seconds(1));
    buffer[0] = 'x';
    ReadResult partial;
    partial.bytes = 1;
    partial.object_size = 1'000'000;
    partial.complete = false;
    return partial;
  }
  std::vector<std::chrono::milliseconds> timeouts;

 private:
  testing::FakeClock& clock_;
};

TEST_F(GetRangeFaultsTest, ATricklingServerFailsAtTheDeadline) {
  TricklingClient inner(clock_);
  RetryPolicy policy;
  policy.op_timeout = std::chrono::seconds(60);
  RetryingObjectClient retrying(inner, clock_, counters_, logger_, policy);
  std::string buffer(1000, '\0');
  const auto start = clock_.Monotonic();
  auto r = retrying.GetRange("c", "o", 0, std::span<char>(buffer), "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
  EXPECT_NE(r.error().message.find("60000 ms operation deadline (60 of 1000 bytes"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(clock_.Monotonic() - start, std::chrono::seconds(60));
  // Each attempt may take only what is left of the deadline.
  ASSERT_EQ(inner.timeouts.size(), 60u);
  EXPECT_EQ(inner.timeouts.front(), std::chrono::seconds(60));
  EXPECT_EQ(inner.timeouts.back(), std::chrono::seconds(1));
}

TEST_F(GetRangeFaultsTest, ACancelledReadStopsBeforeTheNextAttempt) {
  http_.SetHandler(
      [](const http::Request& request) { return Answer(request, {Fault::kServerError}); });
  std::atomic<bool> cancel{true};
  RetryingObjectClient retrying(client_, clock_, counters_, logger_, RetryPolicy{});
  std::string buffer(10, '\0');
  ReadControl control;
  control.cancel = &cancel;
  auto r = retrying.GetRange("c", "o", 0, std::span<char>(buffer), "", control);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(http_.RequestCount(), 0u);
}

}  // namespace
}  // namespace swiftfs::swift
