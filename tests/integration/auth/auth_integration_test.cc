// Every authentication method against the real local services (scripts/local-swift):
// Keystone v3 (password, application credential, token), Swift v1 tempauth,
// pre-authenticated URL + token, Keystone v2.0 through the test server, each ending in a
// real Swift request; region selection, a wrong password, an unreachable auth URL.

#include "integration/auth/auth_integration_fixture.h"
#include "integration/auth/child_process.h"

#include <nlohmann/json.hpp>
#include "swiftfs/common/time_format.h"

namespace swiftfs::testing {
namespace {

// curl_global_init before any test, curl_global_cleanup after all of them.
class CurlEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { curl_ = std::make_unique<http::CurlGlobal>(); }
  void TearDown() override { curl_.reset(); }

 private:
  std::unique_ptr<http::CurlGlobal> curl_;
};
[[maybe_unused]] ::testing::Environment* const kCurlEnvironment =
    ::testing::AddGlobalTestEnvironment(new CurlEnvironment);

#define SKIP_UNLESS_KEYSTONE() \
  SKIP_UNLESS_ENV("OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME")

TEST_F(AuthIntegrationTest, KeystoneV3Password) {
  SKIP_UNLESS_KEYSTONE();
  auto provider = Make(FromEnvironment());
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  ExpectAccountReachable(**provider);
  auto description = (*provider)->Describe();
  ASSERT_TRUE(description.ok());
  EXPECT_EQ(description->auth_version, "v3");
  EXPECT_EQ(description->region, *Env("OS_REGION_NAME"));
  EXPECT_TRUE(description->expires_at.has_value());
  const std::string text = auth::FormatSessionDescription(*description);
  EXPECT_NE(text.find("storage URL:"), std::string::npos);
  const std::string token = (*provider)->Current()->token.Reveal();
  EXPECT_EQ(text.find(token), std::string::npos);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 1u);
  (*provider)->Revoke();
  ExpectNoSecretsLogged({token, *Env("OS_PASSWORD")});
}

TEST_F(AuthIntegrationTest, KeystoneV3ApplicationCredential) {
  SKIP_UNLESS_KEYSTONE();
  SKIP_UNLESS_ENV("SWIFTFS_TEST_APP_CRED_ID", "SWIFTFS_TEST_APP_CRED_SECRET");
  auth::AuthConfig config = FromEnvironment();
  config.method = auth::AuthMethod::kApplicationCredential;
  config.application_credential_id = *Env("SWIFTFS_TEST_APP_CRED_ID");
  config.application_credential_secret = Secret(*Env("SWIFTFS_TEST_APP_CRED_SECRET"));
  config.password = Secret();
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  ExpectAccountReachable(**provider);
  EXPECT_EQ((*provider)->Describe()->auth_method, "application_credential");
  ExpectNoSecretsLogged({*Env("SWIFTFS_TEST_APP_CRED_SECRET")});
}

TEST_F(AuthIntegrationTest, KeystoneV3TokenMethod) {
  SKIP_UNLESS_KEYSTONE();
  auto password = Make(FromEnvironment());
  ASSERT_TRUE(password.ok());
  auto first = (*password)->Current();
  ASSERT_TRUE(first.ok()) << first.error().ToString();

  auth::AuthConfig config = FromEnvironment();
  config.method = auth::AuthMethod::kToken;
  config.password = Secret();
  config.token = first->token;
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  ExpectAccountReachable(**provider);
  auto traded = (*provider)->Current();
  ASSERT_TRUE(traded.ok());
  EXPECT_NE(traded->token.Reveal(), first->token.Reveal());
  ExpectNoSecretsLogged({first->token.Reveal(), traded->token.Reveal()});
}

TEST_F(AuthIntegrationTest, SwiftV1Tempauth) {
  SKIP_UNLESS_ENV("SWIFTFS_TEST_V1_AUTH_URL", "SWIFTFS_TEST_V1_USER", "SWIFTFS_TEST_V1_KEY");
  auth::AuthConfig config;
  config.auth_url = *Env("SWIFTFS_TEST_V1_AUTH_URL");
  config.username = *Env("SWIFTFS_TEST_V1_USER");
  config.password = Secret(*Env("SWIFTFS_TEST_V1_KEY"));
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  ExpectAccountReachable(**provider);
  auto description = (*provider)->Describe();
  EXPECT_EQ(description->auth_version, "v1");
  EXPECT_TRUE(description->expires_at.has_value());  // tempauth sends X-Auth-Token-Expires

  config.password = Secret("wrong-key");
  auto wrong = Make(config);
  auto denied = (*wrong)->Current();
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::kUnauthorized);
  ExpectNoSecretsLogged({*Env("SWIFTFS_TEST_V1_KEY"), "wrong-key"});
}

TEST_F(AuthIntegrationTest, PreauthenticatedUrlAndToken) {
  SKIP_UNLESS_KEYSTONE();
  auto password = Make(FromEnvironment());
  ASSERT_TRUE(password.ok());
  auto session = (*password)->Current();
  ASSERT_TRUE(session.ok()) << session.error().ToString();

  auth::AuthConfig config;
  config.method = auth::AuthMethod::kPreauthenticated;
  config.storage_url = session->storage_url;
  config.token = session->token;
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok());
  ExpectAccountReachable(**provider);

  config.token = Secret("gAAAAAB-not-a-real-token");
  auto stale = Make(config);
  auto response = HeadAccount(**stale);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kUnauthorized);
  EXPECT_NE(response.error().message.find("OS_AUTH_TOKEN"), std::string::npos);
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 1u);  // only the password login
}

TEST_F(AuthIntegrationTest, RegionTwoSelectsTheSecondProxy) {
  SKIP_UNLESS_KEYSTONE();
  SKIP_UNLESS_ENV("SWIFTFS_TEST_REGION2");
  auto provider = Make(FromEnvironment({{"region", *Env("SWIFTFS_TEST_REGION2")}}));
  ASSERT_TRUE(provider.ok());
  ExpectAccountReachable(**provider);
  auto one = Make(FromEnvironment());
  EXPECT_NE((*provider)->Current()->storage_url, (*one)->Current()->storage_url);

  auto nowhere = Make(FromEnvironment({{"region", "RegionNowhere"}}));
  auto error = (*nowhere)->Current();
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().code, ErrorCode::kConfig);
  EXPECT_NE(error.error().message.find("'RegionOne'"), std::string::npos);
  EXPECT_NE(error.error().message.find("'RegionTwo'"), std::string::npos);
}

TEST_F(AuthIntegrationTest, WrongPasswordIsUnauthorizedWithAClearMessage) {
  SKIP_UNLESS_KEYSTONE();
  auth::AuthConfig config = FromEnvironment();
  config.password = Secret("definitely-not-the-password");
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok());
  auto session = (*provider)->Current();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::kUnauthorized);
  EXPECT_NE(session.error().message.find("authentication failed for user '" + *Env("OS_USERNAME") +
                                         "' at " + config.auth_url),
            std::string::npos)
      << session.error().message;
  EXPECT_EQ(session.error().message.find("definitely-not-the-password"), std::string::npos);
  // The cool-down: operations right after (well within the first window of at least 0.5 s)
  // fail at once without another POST that would count towards Keystone's lockout.
  for (int i = 0; i < 20; ++i) {
    auto again = (*provider)->Current();
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kUnauthorized);
  }
  EXPECT_EQ(counters_.Get(Counter::kAuthRequests), 1u);
  ExpectNoSecretsLogged({"definitely-not-the-password"});
}

TEST_F(AuthIntegrationTest, UnreachableAuthUrlIsConnectionFailed) {
  SKIP_UNLESS_KEYSTONE();
  auth::AuthConfig config = FromEnvironment();
  config.auth_url = "http://127.0.0.1:9/v3";  // discard port: nothing listens
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok());
  auto session = (*provider)->Current();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::kConnectionFailed);
  EXPECT_NE(session.error().message.find("http://127.0.0.1:9/v3/auth/tokens"), std::string::npos);
}

// Keystone v2.0 through tests/keystone_v2 (real v3 tokens in v2.0 clothes).
class KeystoneV2IntegrationTest : public AuthIntegrationTest {
 protected:
  void SetUp() override {
    SKIP_UNLESS_KEYSTONE();
    std::string error;
    server_ = ChildProcess::Start({"/usr/bin/python3", SWIFTFS_KEYSTONE_V2_SERVER, "--port", "0"},
                                  &error);
    ASSERT_NE(server_, nullptr) << error;
    auto line = server_->ReadLine(std::chrono::seconds(20));
    ASSERT_TRUE(line && line->rfind("PORT ", 0) == 0) << "the v2.0 test server did not start";
    root_url_ = "http://127.0.0.1:" + line->substr(5);
  }
  void TearDown() override { server_.reset(); }

  auth::AuthConfig V2Config() {
    auth::AuthConfig config;
    config.auth_url = root_url_ + "/v2.0";
    config.username = *Env("OS_USERNAME");
    config.password = Secret(*Env("OS_PASSWORD"));
    config.project_name = *Env("OS_PROJECT_NAME");
    config.region = Env("OS_REGION_NAME").value_or("");
    return config;
  }

  std::unique_ptr<ChildProcess> server_;
  std::string root_url_;
};

TEST_F(KeystoneV2IntegrationTest, PasswordAndTenantName) {
  auto provider = Make(V2Config());
  ASSERT_TRUE(provider.ok()) << provider.error().ToString();
  ExpectAccountReachable(**provider);
  auto description = (*provider)->Describe();
  ASSERT_TRUE(description.ok());
  EXPECT_EQ(description->auth_version, "v2.0");
  EXPECT_EQ(description->project, *Env("OS_PROJECT_NAME"));
  EXPECT_TRUE(description->expires_at.has_value());
  const std::string token = (*provider)->Current()->token.Reveal();
  (*provider)->Revoke();  // skipped: at debug level the HTTP layer would log the token's URL
  ExpectNoSecretsLogged({token, *Env("OS_PASSWORD")});
}

TEST_F(KeystoneV2IntegrationTest, RevocationRefusedQuietly) {
  // At info level the DELETE /v2.0/tokens/{id} is sent; the server refuses it (admin only).
  CapturingLogger quiet(LogLevel::kInfo);
  http::CurlHttpClient http(http::CurlOptions{}, quiet);
  auto provider = auth::MakeTokenProvider(V2Config(), http, clock_, quiet, counters_);
  ASSERT_TRUE(provider.ok());
  ASSERT_TRUE((*provider)->Current().ok());
  (*provider)->Revoke();
  for (const auto& line : quiet.Lines()) {
    EXPECT_EQ(line.rfind("INFO authenticated", 0), 0u) << line;  // no warning, no error
  }
}

TEST_F(KeystoneV2IntegrationTest, UserIdTenantIdAndRegionTwo) {
  SKIP_UNLESS_ENV("SWIFTFS_TEST_REGION2");
  // Learn the ids the way a v2.0 user would: from a token response's access.user and
  // access.token.tenant.
  http::Request login;
  login.method = http::Method::kPost;
  login.url = root_url_ + "/v2.0/tokens";
  login.headers.Set("Content-Type", "application/json");
  login.body =
      nlohmann::json{{"auth",
                      {{"tenantName", *Env("OS_PROJECT_NAME")},
                       {"passwordCredentials",
                        {{"username", *Env("OS_USERNAME")}, {"password", *Env("OS_PASSWORD")}}}}}}
          .dump();
  auto response = http_.Send(login);
  ASSERT_TRUE(response.ok() && response->status == 200);
  const auto access = nlohmann::json::parse(response->body)["access"];

  auth::AuthConfig config = V2Config();
  config.username.clear();
  config.user_id = access["user"]["id"].get<std::string>();
  config.project_name.clear();
  config.project_id = access["token"]["tenant"]["id"].get<std::string>();
  config.region = *Env("SWIFTFS_TEST_REGION2");
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok());
  ExpectAccountReachable(**provider);
  EXPECT_NE((*provider)->Current()->storage_url.find(config.project_id), std::string::npos);
  EXPECT_EQ((*provider)->Describe()->region, *Env("SWIFTFS_TEST_REGION2"));
}

TEST_F(KeystoneV2IntegrationTest, UnversionedUrlDiscoversV2) {
  auth::AuthConfig config = V2Config();
  config.auth_url = root_url_;
  auto provider = Make(config);
  ASSERT_TRUE(provider.ok());
  ExpectAccountReachable(**provider);
  EXPECT_EQ((*provider)->Describe()->auth_version, "v2.0");
}

TEST_F(KeystoneV2IntegrationTest, WrongPasswordShowsTheV2Message) {
  auth::AuthConfig config = V2Config();
  config.password = Secret("not-it-either");
  auto session = (*Make(config))->Current();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.error().code, ErrorCode::kUnauthorized);
  EXPECT_NE(session.error().message.find("The request you have made requires authentication."),
            std::string::npos);
}

}  // namespace
}  // namespace swiftfs::testing
