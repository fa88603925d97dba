#include <gtest/gtest.h>

#include "swiftfs/auth/auth_config.h"
#include "unit/auth/temp_dir.h"

namespace swiftfs::testing {
namespace {

using auth::AuthConfig;
using auth::AuthMethod;
using auth::AuthVersion;
using Map = std::map<std::string, std::string>;

// The environment `scripts/local-swift env` gives.
Map LocalRc() {
  return {{"OS_AUTH_URL", "http://127.0.0.1:5000/v3"},
          {"OS_USERNAME", "demo"},
          {"OS_PASSWORD", "rc-password-1"},
          {"OS_PROJECT_NAME", "demo"},
          {"OS_USER_DOMAIN_NAME", "Default"},
          {"OS_PROJECT_DOMAIN_NAME", "Default"},
          {"OS_REGION_NAME", "RegionOne"},
          {"OS_IDENTITY_API_VERSION", "3"},
          {"OS_INTERFACE", "public"}};
}

class ConfigLoaderTest : public ::testing::Test {
 protected:
  Result<AuthConfig> Load(Map env, Map options = {}) {
    env.emplace("HOME", home_.path());
    return auth::LoadAuthConfig(auth::MapEnvironment(std::move(env)), options,
                                auth::ConfigSearchPath{{home_.path() + "/.config/openstack"}},
                                logger_);
  }
  std::string ErrorOf(Map env, Map options = {}) {
    auto config = Load(std::move(env), std::move(options));
    EXPECT_FALSE(config.ok());
    if (config.ok()) return {};
    EXPECT_EQ(config.error().code, ErrorCode::kConfig);
    return config.error().message;
  }

  TempDir home_;
  CapturingLogger logger_;
};

TEST_F(ConfigLoaderTest, OpenStackRcVariables) {
  auto config = Load(LocalRc());
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->auth_url, "http://127.0.0.1:5000/v3");
  EXPECT_EQ(config->version, AuthVersion::kV3);
  EXPECT_EQ(config->method, AuthMethod::kPassword);
  EXPECT_EQ(config->username, "demo");
  EXPECT_EQ(config->password.Reveal(), "rc-password-1");
  EXPECT_EQ(config->project_name, "demo");
  EXPECT_EQ(config->user_domain_name, "Default");
  EXPECT_EQ(config->project_domain_name, "Default");
  EXPECT_EQ(config->region, "RegionOne");
  EXPECT_EQ(config->interface, auth::Interface::kPublic);
  EXPECT_EQ(config->sources, "environment");
  EXPECT_FALSE(logger_.Contains("rc-password-1"));
}

TEST_F(ConfigLoaderTest, OvhV2RcFileWithTenantAndEndpointType) {
  auto config = Load({{"OS_AUTH_URL", "https://auth.cloud.ovh.net/v2.0/"},
                      {"OS_TENANT_ID", "9eaff0"},
                      {"OS_TENANT_NAME", "361868"},
                      {"OS_USERNAME", "vvQVBW"},
                      {"OS_PASSWORD", "jCrRGj"},
                      {"OS_REGION_NAME", "SBG1"},
                      {"OS_ENDPOINT_TYPE", "internalURL"}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->project_id, "9eaff0");
  EXPECT_EQ(config->project_name, "361868");
  EXPECT_EQ(config->interface, auth::Interface::kInternal);
}

TEST_F(ConfigLoaderTest, EmptyVariablesCountAsUnset) {
  Map env = LocalRc();
  env["OS_PROJECT_ID"] = "";
  env["OS_TENANT_ID"] = "";
  auto config = Load(env);
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->project_id.empty());
}

TEST_F(ConfigLoaderTest, TenantAndProjectNamesMustAgree) {
  Map env = LocalRc();
  env["OS_TENANT_NAME"] = "other";
  const std::string message = ErrorOf(env);
  EXPECT_NE(message.find("OS_PROJECT_NAME and OS_TENANT_NAME"), std::string::npos);
}

TEST_F(ConfigLoaderTest, InterfaceSpellings) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, auth::Interface>>{
           {"public", auth::Interface::kPublic},
           {"publicURL", auth::Interface::kPublic},
           {"internal", auth::Interface::kInternal},
           {"internalURL", auth::Interface::kInternal},
           {"admin", auth::Interface::kAdmin},
           {"adminURL", auth::Interface::kAdmin}}) {
    Map env = LocalRc();
    env["OS_INTERFACE"] = text;
    auto config = Load(env);
    ASSERT_TRUE(config.ok()) << text;
    EXPECT_EQ(config->interface, expected) << text;
  }
  Map env = LocalRc();
  env["OS_INTERFACE"] = "private";
  EXPECT_NE(ErrorOf(env).find("OS_INTERFACE 'private'"), std::string::npos);
  // OS_INTERFACE wins over OS_ENDPOINT_TYPE.
  env["OS_INTERFACE"] = "admin";
  env["OS_ENDPOINT_TYPE"] = "internalURL";
  EXPECT_EQ(Load(env)->interface, auth::Interface::kAdmin);
}

TEST_F(ConfigLoaderTest, OptionsOverrideTheEnvironmentPairByPair) {
  auto config = Load(LocalRc(), {{"region", "RegionTwo"},
                                 {"project_id", "p42"},
                                 {"interface", "internal"},
                                 {"unrelated_option", "ignored"}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->region, "RegionTwo");
  EXPECT_EQ(config->project_id, "p42");
  EXPECT_TRUE(config->project_name.empty());  // the pair came from the options as a whole
  EXPECT_EQ(config->interface, auth::Interface::kInternal);
  EXPECT_EQ(config->sources, "mount options, environment");
}

TEST_F(ConfigLoaderTest, AuthUrlOptionDropsTheEnvironmentsApiVersion) {
  auto config = Load(
      LocalRc(), {{"auth_url", "http://127.0.0.1:8080/auth/v1.0"}, {"username", "test:tester"}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->version, AuthVersion::kUnspecified);  // from the URL at use
}

TEST_F(ConfigLoaderTest, ContradictoryVersions) {
  Map env = LocalRc();
  env["OS_IDENTITY_API_VERSION"] = "2.0";
  const std::string message = ErrorOf(env);
  EXPECT_NE(message.find("OS_IDENTITY_API_VERSION"), std::string::npos);
  env["OS_IDENTITY_API_VERSION"] = "seven";
  EXPECT_NE(ErrorOf(env).find("OS_IDENTITY_API_VERSION 'seven'"), std::string::npos);
  env = LocalRc();
  env["OS_AUTH_TYPE"] = "v2password";
  EXPECT_NE(ErrorOf(env).find("contradicts OS_AUTH_TYPE"), std::string::npos);
  env["OS_AUTH_TYPE"] = "v3oidcpassword";
  EXPECT_NE(ErrorOf(env).find("is not supported"), std::string::npos);
}

TEST_F(ConfigLoaderTest, AuthTypesChooseTheMethod) {
  Map env = LocalRc();
  env.erase("OS_PASSWORD");
  env["OS_AUTH_TYPE"] = "v3applicationcredential";
  env["OS_APPLICATION_CREDENTIAL_ID"] = "ac1";
  env["OS_APPLICATION_CREDENTIAL_SECRET"] = "acs";
  auto app = Load(env);
  ASSERT_TRUE(app.ok()) << app.error().ToString();
  EXPECT_EQ(app->method, AuthMethod::kApplicationCredential);
  EXPECT_EQ(app->application_credential_secret.Reveal(), "acs");

  env.erase("OS_AUTH_TYPE");  // inferred from the variables present
  EXPECT_EQ(Load(env)->method, AuthMethod::kApplicationCredential);

  env = LocalRc();
  env.erase("OS_PASSWORD");
  env["OS_AUTH_TYPE"] = "v3token";
  env["OS_AUTH_TOKEN"] = "tkn";
  EXPECT_EQ(Load(env)->method, AuthMethod::kToken);
  env.erase("OS_AUTH_TYPE");
  EXPECT_EQ(Load(env)->method, AuthMethod::kToken);
}

TEST_F(ConfigLoaderTest, PreauthenticatedNeedsNoAuthUrl) {
  auto config = Load(
      {{"OS_STORAGE_URL", "http://127.0.0.1:8080/v1/AUTH_p1"}, {"OS_AUTH_TOKEN", "gAAAAA-token"}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->method, AuthMethod::kPreauthenticated);
  EXPECT_NE(ErrorOf({{"OS_STORAGE_URL", "http://127.0.0.1:8080/v1/AUTH_p1"}}).find("OS_AUTH_TOKEN"),
            std::string::npos);
}

TEST_F(ConfigLoaderTest, CredentialsInsideAUrlAreRefusedWithoutQuotingThem) {
  Map env = LocalRc();
  env["OS_AUTH_URL"] = "http://demo:url-secret-1@127.0.0.1:5000/v3";
  const std::string message = ErrorOf(env);
  EXPECT_NE(message.find("OS_AUTH_URL"), std::string::npos) << message;
  EXPECT_EQ(message.find("url-secret-1"), std::string::npos) << message;
  EXPECT_FALSE(logger_.Contains("url-secret-1"));
  const std::string storage = ErrorOf({{"OS_STORAGE_URL", "https://u:url-secret-2@h/v1/AUTH_p"},
                                       {"OS_AUTH_TOKEN", "gAAAAA-token"}});
  EXPECT_EQ(storage.find("url-secret-2"), std::string::npos) << storage;
  // An '@' after the host (in a path or query) is not user information.
  env["OS_AUTH_URL"] = "http://127.0.0.1:5000/v3?x=a@b";
  EXPECT_TRUE(Load(env).ok());
}

TEST_F(ConfigLoaderTest, MissingPiecesNameTheVariable) {
  EXPECT_NE(ErrorOf({}).find("OS_AUTH_URL"), std::string::npos);
  Map env = LocalRc();
  env.erase("OS_PASSWORD");
  EXPECT_NE(ErrorOf(env).find("OS_PASSWORD"), std::string::npos);
  env = LocalRc();
  env.erase("OS_USER_DOMAIN_NAME");
  EXPECT_NE(ErrorOf(env).find("OS_USER_DOMAIN_NAME"), std::string::npos);
  env = LocalRc();
  env.erase("OS_USERNAME");
  EXPECT_NE(ErrorOf(env).find("OS_USERNAME"), std::string::npos);
}

TEST_F(ConfigLoaderTest, PasswordOptionWarnsAboutPs) {
  Map env = LocalRc();
  env.erase("OS_PASSWORD");
  auto config = Load(env, {{"password", "typed-on-cmdline"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->password.Reveal(), "typed-on-cmdline");
  EXPECT_TRUE(logger_.Contains("visible"));
  EXPECT_TRUE(logger_.Contains("ps"));
  EXPECT_FALSE(logger_.Contains("typed-on-cmdline"));
}

TEST_F(ConfigLoaderTest, PasswordFileMustBePrivate) {
  const std::string good = home_.Write("pw-good", "from-file\n", 0600);
  auto config = Load(LocalRc(), {{"password_file", good}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->password.Reveal(), "from-file");  // option beats OS_PASSWORD

  const std::string open = home_.Write("pw-open", "from-file\n", 0644);
  const std::string message = ErrorOf(LocalRc(), {{"password_file", open}});
  EXPECT_NE(message.find("mode 0644"), std::string::npos);
  EXPECT_EQ(message.find("from-file"), std::string::npos);
}

TEST_F(ConfigLoaderTest, CloudsYamlSelectedByOsCloudUnderEnvAndOptions) {
  home_.Write(".config/openstack/clouds.yaml", R"(clouds:
  lab:
    auth:
      auth_url: http://lab:5000/v3
      username: alice
      project_name: research
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
)");
  home_.Write(".config/openstack/secure.yaml",
              "clouds:\n  lab:\n    auth:\n      password: yaml-secret\n");
  auto config = Load({{"OS_CLOUD", "lab"}, {"OS_REGION_NAME", "RegionTwo"}}, {{"username", "bob"}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->auth_url, "http://lab:5000/v3");
  EXPECT_EQ(config->password.Reveal(), "yaml-secret");
  EXPECT_EQ(config->project_name, "research");
  EXPECT_EQ(config->region, "RegionTwo");  // environment over clouds.yaml
  EXPECT_EQ(config->username, "bob");      // options over everything
  EXPECT_NE(config->sources.find("clouds.yaml cloud 'lab'"), std::string::npos);

  // -o cloud= selects too, and an unknown cloud is a clear error.
  EXPECT_TRUE(Load({}, {{"cloud", "lab"}}).ok());
  EXPECT_NE(ErrorOf({{"OS_CLOUD", "nope"}}).find("cloud 'nope' is not in"), std::string::npos);
}

TEST_F(ConfigLoaderTest, IsAuthOption) {
  EXPECT_TRUE(auth::IsAuthOption("auth_url"));
  EXPECT_TRUE(auth::IsAuthOption("password_file"));
  EXPECT_TRUE(auth::IsAuthOption("tenant_name"));
  EXPECT_TRUE(auth::IsAuthOption("cloud"));
  EXPECT_FALSE(auth::IsAuthOption("allow_other"));
}

}  // namespace
}  // namespace swiftfs::testing
