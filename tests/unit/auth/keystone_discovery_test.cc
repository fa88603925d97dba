#include "auth/keystone_discovery.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "swiftfs/auth/token_provider_factory.h"
#include "unit/auth/identity_fixtures.h"

namespace swiftfs::testing {
namespace {

constexpr const char* kRootUrl = "http://keystone.test:5000";

// What Keystone answers on its root: 300 Multiple Choices with both versions.
const char* kVersionDocument = R"({"versions": {"values": [
  {"id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
   "links": [{"rel": "self", "href": "http://keystone.test:5000/v3/"}],
   "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}]},
  {"id": "v2.0", "status": "deprecated", "updated": "2016-08-04T00:00:00Z",
   "links": [{"rel": "self", "href": "http://keystone.test:5000/v2.0/"}]}]}})";

class DiscoveryTest : public ::testing::Test {
 protected:
  FakeHttpClient http_;
  FakeClock clock_;
  CapturingLogger logger_;
  Counters counters_;
  auth::IdentityClient identity_{http_, clock_, logger_, counters_};
};

TEST_F(DiscoveryTest, PrefersV3AndHonoursAnExplicitVersion) {
  http_.SetHandler([](const http::Request&) { return Reply(300, kVersionDocument); });
  auto best = auth::DiscoverKeystoneVersion(identity_, kRootUrl, auth::AuthVersion::kUnspecified);
  ASSERT_TRUE(best.ok()) << best.error().ToString();
  EXPECT_EQ(best->version, auth::AuthVersion::kV3);
  EXPECT_EQ(best->url, "http://keystone.test:5000/v3");
  auto v2 = auth::DiscoverKeystoneVersion(identity_, kRootUrl, auth::AuthVersion::kV2);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->url, "http://keystone.test:5000/v2.0");
  EXPECT_EQ(http_.Requests().at(0).headers.Get("Accept"), "application/json");
}

TEST_F(DiscoveryTest, UnusableDocuments) {
  http_.Enqueue(Reply(300, R"({"versions": {"values": [{"id": "v2.0", "links": []}]}})"));
  auto none = auth::DiscoverKeystoneVersion(identity_, kRootUrl, auth::AuthVersion::kUnspecified);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kConfig);
  EXPECT_NE(none.error().message.find("OS_AUTH_URL"), std::string::npos);

  http_.Enqueue(Reply(200, "<html>welcome to nginx</html>"));
  auto html = auth::DiscoverKeystoneVersion(identity_, kRootUrl, auth::AuthVersion::kUnspecified);
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().code, ErrorCode::kBadResponse);
}

TEST_F(DiscoveryTest, UnversionedUrlThroughTheFactory) {
  http_.SetHandler([](const http::Request& request) -> Result<http::Response> {
    if (request.method == http::Method::kGet) return Reply(300, kVersionDocument);
    if (request.url == "http://keystone.test:5000/v3/auth/tokens") return V3TokenResponse("tok-1");
    return Reply(404);
  });
  auth::AuthConfig config = V3PasswordConfig();
  config.auth_url = std::string(kRootUrl) + "/";
  auto provider = auth::MakeTokenProvider(config, http_, clock_, logger_, counters_);
  ASSERT_TRUE(provider.ok());
  auto session = (*provider)->Current();
  ASSERT_TRUE(session.ok()) << session.error().ToString();
  EXPECT_EQ(session->storage_url, kSwiftOne);
  // Discovery happens once; later authentications go straight to the token URL.
  (*provider)->Invalidate(*session);
  ASSERT_TRUE((*provider)->Current().ok());
  EXPECT_EQ(http_.CountRequests(http::Method::kGet, "keystone.test"), 1u);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 2u);
}

}  // namespace
}  // namespace swiftfs::testing
