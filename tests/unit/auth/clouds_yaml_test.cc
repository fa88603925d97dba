#include "auth/clouds_yaml.h"

#include <gtest/gtest.h>

#include "unit/auth/temp_dir.h"

namespace swiftfs::testing {
namespace {

const char* kClouds = R"(clouds:
  ovh:
    auth:
      auth_url: https://auth.cloud.ovh.net/v2.0
      username: vvQVBW
      tenant_name: "361868"
    region_name: SBG1
    identity_api_version: 2
    interface: internal
  local:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: demo
      project_name: demo
      user_domain_name: Default
      project_domain_name: Default
    regions: [RegionOne]
    auth_type: password
)";

const char* kSecure = R"(clouds:
  ovh:
    auth:
      password: from-secure-yaml
)";

TEST(CloudsYamlTest, ReadsACloudAndMergesSecureYaml) {
  TempDir home;
  home.Write(".config/openstack/clouds.yaml", kClouds, 0644);
  home.Write(".config/openstack/secure.yaml", kSecure, 0600);
  auth::ConfigSearchPath path{{home.path() + "/nowhere", home.path() + "/.config/openstack"}};
  auto ovh = auth::LoadCloud("ovh", path, std::nullopt);
  ASSERT_TRUE(ovh.ok()) << ovh.error().ToString();
  const auto& v = ovh->values;
  EXPECT_EQ(v.at("auth_url"), "https://auth.cloud.ovh.net/v2.0");
  EXPECT_EQ(v.at("username"), "vvQVBW");
  EXPECT_EQ(v.at("password"), "from-secure-yaml");
  EXPECT_EQ(v.at("project_name"), "361868");
  EXPECT_EQ(v.at("region"), "SBG1");
  EXPECT_EQ(v.at("auth_version"), "2");
  EXPECT_EQ(v.at("interface"), "internal");
  EXPECT_NE(ovh->files.find("secure.yaml"), std::string::npos);

  auto local = auth::LoadCloud("local", path, std::nullopt);
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->values.at("region"), "RegionOne");  // the one entry of regions:
  EXPECT_EQ(local->values.at("auth_type"), "password");
  EXPECT_EQ(local->values.count("password"), 0u);
}

TEST(CloudsYamlTest, ErrorsNameTheFileAndTheChoices) {
  TempDir dir;
  auth::ConfigSearchPath path{{dir.path()}};
  auto none = auth::LoadCloud("ovh", path, std::nullopt);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no clouds.yaml found"), std::string::npos);

  dir.Write("clouds.yaml", kClouds);
  auto unknown = auth::LoadCloud("aws", path, std::nullopt);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kConfig);
  EXPECT_NE(unknown.error().message.find("clouds there: ovh, local"), std::string::npos);

  const std::string broken = dir.Write("broken.yaml", "clouds:\n  a: [unclosed\n");
  auto bad = auth::LoadCloud("a", path, broken);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("cannot parse " + broken + " (line"), std::string::npos);
}

}  // namespace
}  // namespace swiftfs::testing
