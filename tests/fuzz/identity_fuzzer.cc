// Fuzzes Keystone v2.0 and v3 token responses, catalogs included: the body comes from
// the input, sent by a FakeHttpClient to a real authenticator, so everything from the
// status check to SelectObjectStoreEndpoint runs. The first byte picks the version, the
// status (200, 201, 401, 404: no 5xx, which would be retried), the region and interface.
#include <string>

#include "auth/keystone_v2_authenticator.h"
#include "auth/keystone_v3_authenticator.h"
#include "support/fake_clock.h"
#include "support/fake_http_client.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace swiftfs;
  if (size == 0) return 0;
  const uint8_t choice = data[0];
  const bool v3 = choice & 1;
  static constexpr int kStatuses[] = {200, 201, 401, 404};
  const int status = kStatuses[(choice >> 1) & 3];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);

  auth::AuthConfig config;
  config.auth_url = v3 ? "http://keystone.test/v3" : "http://keystone.test/v2.0";
  config.method = auth::AuthMethod::kPassword;
  config.username = "demo";
  config.password = Secret("pw-fuzz");
  config.project_name = "demo";
  if (v3) config.user_domain_name = config.project_domain_name = "Default";
  config.region = (choice & 8) ? "RegionOne" : "";
  config.interface = (choice & 16) ? auth::Interface::kInternal : auth::Interface::kPublic;

  testing::FakeHttpClient http;
  http.Enqueue(testing::Reply(status, std::move(body), {{"X-Subject-Token", "tok-fuzz"}}));
  testing::FakeClock clock;
  NullLogger logger;
  Counters counters;
  auth::IdentityClient identity(http, clock, logger, counters);
  auto authenticator =
      v3 ? auth::KeystoneV3Authenticator::Create(config, config.auth_url, identity)
         : auth::KeystoneV2Authenticator::Create(config, config.auth_url, identity);
  if (authenticator) (void)(*authenticator)->Authenticate();
  return 0;
}
