#pragma once
// The ManagedTokenProvider tests' fixture: a Keystone v3 authenticator over a FakeHttpClient
// that issues tok-1, tok-2, ..., a FakeClock, and a Gate to hold a request in the air.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <string_view>
#include <thread>
#include <vector>

#include "auth/keystone_v3_authenticator.h"
#include "auth/managed_token_provider.h"
#include "support/fake_clock.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {

// A gate a fake handler can block on until the test opens it.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  void WaitForWaiters(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

// Issues tok-1, tok-2, ... each valid for `lifetime` from the FakeClock's now.
class ManagedTokenProviderTest : public ::testing::Test {
 protected:
  void SetUp() override { UseLifetime(std::chrono::hours(1)); }

  void UseLifetime(std::chrono::seconds lifetime, Gate* gate = nullptr) {
    http_.SetHandler([this, lifetime,
                      gate](const http::Request& request) -> Result<http::Response> {
      if (request.method == http::Method::kDelete) return Reply(204);  // revocation
      if (gate) gate->Wait();
      const int n = ++issued_;
      return V3TokenResponse("tok-" + std::to_string(n), FormatIso8601(clock_.Now() + lifetime));
    });
  }

  std::unique_ptr<auth::ManagedTokenProvider> MakeProvider(auth::CooldownPolicy cooldown = {}) {
    // No identity-client retries: each authentication is one request, easy to count.
    auth::RetryPolicy once;
    once.max_attempts = 1;
    auto authenticator = auth::KeystoneV3Authenticator::Create(
        V3PasswordConfig(), kV3Url, auth::IdentityClient(http_, clock_, logger_, counters_, once));
    EXPECT_TRUE(authenticator.ok());
    auto provider = std::make_unique<auth::ManagedTokenProvider>(std::move(*authenticator), clock_,
                                                                 logger_, "", std::move(cooldown));
    provider->StartBackgroundRenewal();
    return provider;
  }
  // Moves the fake time on and waits until the renewal thread has dealt with it.
  void AdvanceAndSettle(std::chrono::nanoseconds d) {
    clock_.Advance(d);
    clock_.AwaitWaiter();
  }
  // Jitter off: every wait is the whole window.
  static auth::CooldownPolicy NoJitter() {
    auth::CooldownPolicy policy;
    policy.random = [] { return 0.0; };
    return policy;
  }
  void RejectPasswords() {
    http_.SetHandler([](const http::Request&) -> Result<http::Response> {
      return Reply(
          401,
          R"({"error": {"message": "The request you have made requires authentication.", "code": 401}})");
    });
  }
  size_t LogLinesWith(std::string_view needle) const {
    size_t n = 0;
    for (const std::string& line : logger_.Lines()) n += line.find(needle) != std::string::npos;
    return n;
  }
  uint64_t AuthRequests() const { return counters_.Get(Counter::kAuthRequests); }

  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
  std::atomic<int> issued_{0};
};

}  // namespace swiftfs::testing
