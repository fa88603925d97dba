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

TEST_F(DiscoveryTest, AnHttpsAuthUrlIsNeverDowngradedToHttp) {
  // A TLS-terminating proxy in front of Keystone: the self links say http.
  http_.SetHandler([](const http::Request&) { return Reply(300, kVersionDocument); });
  auto best = auth::DiscoverKeystoneVersion(identity_, "https://keystone.test:5000",
                                            auth::AuthVersion::kUnspecified);
  ASSERT_FALSE(best.ok());
  EXPECT_EQ(best.error().code, ErrorCode::kConfig);
  EXPECT_NE(best.error().message.find("without TLS"), std::string::npos);
  EXPECT_NE(best.error().message.find("https://keystone.test:5000/v3"), std::string::npos)
      << best.error().message;
}

TEST_F(DiscoveryTest, NoPasswordIsSentAfterARefusedDowngrade) {
  http_.SetHandler([](const http::Request& request) -> Result<http::Response> {
    if (request.method == http::Method::kGet) return Reply(300, kVersionDocument);
    return V3TokenResponse("tok-1");
  });
  auth::AuthConfig config = V3PasswordConfig();
  config.auth_url = "https://keystone.test:5000";
  auto provider = auth::MakeTokenProvider(config, http_, clock_, logger_, counters_);
  ASSERT_TRUE(provider.ok());
  auto session = (*provider)->Current();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::kConfig);
  ASSERT_EQ(http_.RequestCount(), 1u);  // the version document only: no POST anywhere
  EXPECT_EQ(http_.Requests()[0].method, http::Method::kGet);
}

TEST_F(DiscoveryTest, DiscoveredUrlChecks) {
  // Same scheme or an upgrade: fine.
  EXPECT_TRUE(auth::CheckDiscoveredUrl("https://k:5000", "https://k:5000/v3", logger_).ok());
  EXPECT_TRUE(auth::CheckDiscoveredUrl("http://k:5000", "https://k:5000/v3", logger_).ok());
  EXPECT_TRUE(auth::CheckDiscoveredUrl("HTTPS://k", "https://k/v3", logger_).ok());
  EXPECT_FALSE(logger_.Contains("another host"));
  // Downgrade and other schemes: refused.
  EXPECT_FALSE(auth::CheckDiscoveredUrl("https://k", "HTTP://k/v3", logger_).ok());
  EXPECT_FALSE(auth::CheckDiscoveredUrl("https://k", "ftp://k/v3", logger_).ok());
  EXPECT_FALSE(auth::CheckDiscoveredUrl("http://k", "/v3", logger_).ok());
  // Another host: allowed (public names, load balancers), but logged.
  EXPECT_TRUE(
      auth::CheckDiscoveredUrl("https://10.0.0.1:5000", "https://id.example/v3", logger_).ok());
  EXPECT_TRUE(logger_.Contains(
      "the version document at https://10.0.0.1:5000 points to another host: id.example/v3"));
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
