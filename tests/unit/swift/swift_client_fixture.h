#pragma once
// Shared set-up of the SwiftClient tests: a FakeHttpClient, a FakeTokenProvider whose
// storage URL is kStorage, counters and a capturing logger.

#include <gtest/gtest.h>

#include "support/fake_http_client.h"
#include "support/fake_token_provider.h"
#include "swiftfs/swift/swift_client.h"

namespace swiftfs::swift {

inline constexpr char kStorage[] = "http://swift.test:8080/v1/AUTH_test";

class SwiftClientTest : public ::testing::Test {
 protected:
  SwiftClientTest()
      : tokens_(kStorage, "s3cr3t-token"), client_(http_, tokens_, counters_, logger_) {}

  // The single request sent so far (fails the test if there is not exactly one).
  http::Request OnlyRequest() const {
    const auto requests = http_.Requests();
    EXPECT_EQ(requests.size(), 1u);
    return requests.empty() ? http::Request{} : requests.front();
  }

  testing::FakeHttpClient http_;
  testing::FakeTokenProvider tokens_;
  Counters counters_;
  CapturingLogger logger_;
  SwiftClient client_;
};

}  // namespace swiftfs::swift
