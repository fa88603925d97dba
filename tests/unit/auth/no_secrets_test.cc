// Runs every authentication method through its success and failure paths with a debug-level
// CapturingLogger and checks that no password, secret or token (given or issued) shows up in
// a log line or an error message.

#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "swiftfs/auth/authenticated_sender.h"
#include "swiftfs/auth/token_provider_factory.h"
#include "unit/auth/identity_fixtures.h"
#include "unit/auth/temp_dir.h"

namespace swiftfs::testing {
namespace {

constexpr const char* kIssued = "issued-token-Q7x2Lm";
constexpr const char* kIssuedV1 = "AUTH_tk-issued-v1-88c";

const std::vector<std::string>& AllSecrets() {
  static const std::vector<std::string> secrets = {kPassword, kAppSecret, kUserToken,
                                                   kIssued,   kIssuedV1,  "v1-key-0b9e"};
  return secrets;
}

class NoSecretsTest : public ::testing::Test {
 protected:
  ~NoSecretsTest() override {
    std::string everything = logger_.Joined();
    for (const auto& message : errors_) everything += message + "\n";
    for (const auto& secret : AllSecrets()) {
      EXPECT_EQ(everything.find(secret), std::string::npos) << "leaked " << secret << " in:\n"
                                                            << everything;
    }
  }

  void Record(const Error& error) { errors_.push_back(error.ToString()); }

  // Authenticates, sends a Swift request (401 first when `reject_once`), describes and
  // revokes, recording every error; the identity service answers with `identity`.
  void Exercise(const auth::AuthConfig& config,
                std::function<Result<http::Response>(const http::Request&)> identity,
                bool reject_once = true) {
    FakeHttpClient http;
    bool rejected = false;
    http.SetHandler([&](const http::Request& request) -> Result<http::Response> {
      if (request.url.find("swift") != std::string::npos ||
          request.url.find("/v1/AUTH_") != std::string::npos) {
        if (reject_once && !rejected) {
          rejected = true;
          return Reply(401, "<html><h1>Unauthorized</h1></html>");
        }
        return Reply(204);
      }
      return identity(request);
    });
    auto provider = auth::MakeTokenProvider(config, http, clock_, logger_, counters_);
    if (!provider) {
      Record(provider.error());
      return;
    }
    auth::AuthenticatedSender sender(http, **provider, logger_);
    auto response = sender.Send([](const auth::Session& session) {
      http::Request request;
      request.method = http::Method::kHead;
      request.url = session.storage_url;
      return request;
    });
    if (!response) Record(response.error());
    auto description = (*provider)->Describe();
    if (description) {
      errors_.push_back(auth::FormatSessionDescription(*description));
    } else {
      Record(description.error());
    }
    (*provider)->Revoke();
  }

  // Identity answers that each method must survive without leaking.
  static std::vector<std::function<Result<http::Response>(const http::Request&)>> Failures() {
    return {
        [](const http::Request&) -> Result<http::Response> {
          return Reply(
              401,
              R"({"error": {"code": 401, "message": "The request you have made requires authentication."}})");
        },
        // A validation error quoting everything we sent, body and header values.
        [](const http::Request& request) -> Result<http::Response> {
          std::string echoed = request.body;
          for (const auto& [name, value] : request.headers.All()) echoed += " " + value;
          return Reply(400, nlohmann::json{{"error", {{"code", 400}, {"message", echoed}}}}.dump());
        },
        [](const http::Request&) -> Result<http::Response> {
          return Reply(503, "<html><title>down</title></html>");
        },
        [](const http::Request&) -> Result<http::Response> {
          return Reply(201, "{not json", {{"X-Subject-Token", kIssued}});
        },
        [](const http::Request&) -> Result<http::Response> {
          return MakeError(ErrorCode::kConnectionFailed, "connection refused");
        },
    };
  }

  FakeClock clock_;
  CapturingLogger logger_{LogLevel::kDebug};
  Counters counters_;
  std::vector<std::string> errors_;
};

TEST_F(NoSecretsTest, KeystoneV3EveryMethod) {
  auth::AuthConfig password = V3PasswordConfig();
  auth::AuthConfig app = V3PasswordConfig();
  app.method = auth::AuthMethod::kApplicationCredential;
  app.application_credential_id = "ac1";
  app.application_credential_secret = Secret(kAppSecret);
  auth::AuthConfig token = V3PasswordConfig();
  token.method = auth::AuthMethod::kToken;
  token.token = Secret(kUserToken);
  for (const auto& config : {password, app, token}) {
    Exercise(config, [](const http::Request& request) -> Result<http::Response> {
      if (request.method == http::Method::kDelete) return Reply(204);
      return V3TokenResponse(kIssued);
    });
    for (const auto& failure : Failures()) Exercise(config, failure);
  }
  EXPECT_FALSE(errors_.empty());
}

TEST_F(NoSecretsTest, KeystoneV2) {
  Exercise(V2PasswordConfig(), [](const http::Request& request) -> Result<http::Response> {
    if (request.method == http::Method::kDelete) {
      return Reply(
          403,
          R"({"error": {"message": "You are not authorized to perform the requested action.", "code": 403}})");
    }
    return V2TokenResponse(kIssued);
  });
  for (const auto& failure : Failures()) Exercise(V2PasswordConfig(), failure);
}

TEST_F(NoSecretsTest, SwiftV1AndPreauthenticated) {
  auth::AuthConfig v1;
  v1.auth_url = "http://127.0.0.1:8080/auth/v1.0";
  v1.username = "test:tester";
  v1.password = Secret("v1-key-0b9e");
  Exercise(v1, [](const http::Request&) -> Result<http::Response> {
    return Reply(
        200, "",
        {{"X-Auth-Token", kIssuedV1}, {"X-Storage-Url", "http://127.0.0.1:8080/v1/AUTH_test"}});
  });
  for (const auto& failure : Failures()) Exercise(v1, failure);

  auth::AuthConfig preauth;
  preauth.method = auth::AuthMethod::kPreauthenticated;
  preauth.storage_url = "http://127.0.0.1:8080/v1/AUTH_test";
  preauth.token = Secret(kUserToken);
  Exercise(preauth, [](const http::Request&) -> Result<http::Response> { return Reply(500); });
}

TEST_F(NoSecretsTest, ConfigLoading) {
  TempDir dir;
  const std::string open_file = dir.Write("pw", kPassword, 0644);
  const std::map<std::string, std::string> env = {
      {"OS_AUTH_URL", "http://k:5000/v3"}, {"OS_USERNAME", "demo"},
      {"OS_PASSWORD", kPassword},          {"OS_APPLICATION_CREDENTIAL_SECRET", kAppSecret},
      {"OS_AUTH_TOKEN", kUserToken},       {"OS_AUTH_TYPE", "v3password"}};
  for (const auto& options : std::vector<std::map<std::string, std::string>>{
           {}, {{"password", kPassword}}, {{"password_file", open_file}}}) {
    auto config = auth::LoadAuthConfig(auth::MapEnvironment(env), options,
                                       auth::ConfigSearchPath{{dir.path()}}, logger_);
    if (!config) Record(config.error());
  }
  EXPECT_FALSE(errors_.empty());
}

}  // namespace
}  // namespace swiftfs::testing
