// The CA bundle path is made absolute when the configuration is loaded, so a relative
// -o cacert= still names the same file after the daemon has changed directory.

#include "auth/ca_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "swiftfs/auth/auth_config.h"
#include "unit/auth/temp_dir.h"

namespace swiftfs::testing {
namespace {

using Map = std::map<std::string, std::string>;

// Runs the test from `dir` and goes back afterwards (the current directory is per process).
class InDirectory {
 public:
  explicit InDirectory(const std::string& dir) : previous_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~InDirectory() { std::filesystem::current_path(previous_); }
  InDirectory(const InDirectory&) = delete;
  InDirectory& operator=(const InDirectory&) = delete;

 private:
  std::filesystem::path previous_;
};

TEST(CaFileTest, RelativePathsBecomeAbsolute) {
  TempDir dir;
  dir.Write("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n", 0644);
  auto resolved = auth::ResolveCaFile("certs/../certs/ca.pem", "-o cacert=", dir.path());
  ASSERT_TRUE(resolved.ok()) << resolved.error().ToString();
  EXPECT_EQ(*resolved, dir.path() + "/certs/ca.pem");
  EXPECT_EQ(*auth::ResolveCaFile(dir.path() + "/certs/ca.pem", "-o cacert=", "/"),
            dir.path() + "/certs/ca.pem");
  EXPECT_EQ(*auth::ResolveCaFile("", "-o cacert=", dir.path()), "");  // the system's CAs
}

TEST(CaFileTest, ClearErrors) {
  TempDir dir;
  dir.Write("sub/x", "", 0644);
  auto missing = auth::ResolveCaFile("ca.pem", "OS_CACERT", dir.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
  EXPECT_EQ(missing.error().message,
            "OS_CACERT 'ca.pem' (" + dir.path() + "/ca.pem) does not exist");
  auto directory = auth::ResolveCaFile("sub", "-o cacert=", dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.error().message.find("is not a file"), std::string::npos);
  if (geteuid() != 0) {  // root reads anything
    dir.Write("secret.pem", "", 0000);
    auto unreadable = auth::ResolveCaFile("secret.pem", "-o cacert=", dir.path());
    ASSERT_FALSE(unreadable.ok());
    EXPECT_NE(unreadable.error().message.find("cannot be read"), std::string::npos);
  }
}

TEST(CaFileTest, LoadAuthConfigResolvesEverySource) {
  TempDir home;
  TempDir work;
  work.Write("ca.pem", "-----BEGIN CERTIFICATE-----\n", 0644);
  home.Write(".config/openstack/clouds.yaml",
             "clouds:\n  local:\n    cacert: ca.pem\n    auth:\n      auth_url: "
             "https://k:5000/v3\n      username: demo\n      password: pw\n",
             0600);
  const Map env = {{"HOME", home.path()},
                   {"OS_AUTH_URL", "https://k:5000/v3"},
                   {"OS_USERNAME", "demo"},
                   {"OS_PASSWORD", "pw"},
                   {"OS_USER_DOMAIN_NAME", "Default"},
                   {"OS_PROJECT_NAME", "demo"},
                   {"OS_PROJECT_DOMAIN_NAME", "Default"}};
  const auth::ConfigSearchPath search{{home.path() + "/.config/openstack"}};
  CapturingLogger logger;
  InDirectory in(work.path());
  for (const auto& [extra_env, options] :
       std::vector<std::pair<Map, Map>>{{{}, {{"cacert", "ca.pem"}}},
                                        {{{"OS_CACERT", "./ca.pem"}}, {}},
                                        {{{"OS_CLOUD", "local"}}, {}}}) {
    Map all = env;
    all.insert(extra_env.begin(), extra_env.end());
    auto config = auth::LoadAuthConfig(auth::MapEnvironment(all), options, search, logger);
    ASSERT_TRUE(config.ok()) << config.error().ToString();
    EXPECT_EQ(config->cacert, work.path() + "/ca.pem");
  }
  auto missing =
      auth::LoadAuthConfig(auth::MapEnvironment(env), {{"cacert", "nope.pem"}}, search, logger);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kConfig);
  EXPECT_NE(missing.error().message.find("-o cacert= 'nope.pem'"), std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace swiftfs::testing
