#pragma once
// AuthenticatorTest: a Keystone authenticator (KeystoneV2Authenticator or
// KeystoneV3Authenticator) run against FakeHttpClient and FakeClock, created with the
// identity endpoint `url` the derived fixture names.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/identity_client.h"
#include "support/fake_clock.h"
#include "support/fake_http_client.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {

template <typename Authenticator>
class AuthenticatorTest : public ::testing::Test {
 protected:
  explicit AuthenticatorTest(const char* url) : url_(url) {}

  Result<auth::AuthResult> Run(const auth::AuthConfig& config) {
    auto authenticator = Authenticator::Create(config, url_, Identity());
    if (!authenticator) return authenticator.error();
    return (*authenticator)->Authenticate();
  }
  auth::IdentityClient Identity() {
    return auth::IdentityClient(http_, clock_, logger_, counters_);
  }
  // The JSON body of the first request sent.
  nlohmann::json SentBody() { return BodyOf(http_.Requests().at(0)); }

  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;

 private:
  const char* url_;
};

}  // namespace swiftfs::testing
