#include "auth/auth_version.h"

#include <gtest/gtest.h>

namespace swiftfs::auth {
namespace {

TEST(AuthVersionTest, FromUrlPath) {
  EXPECT_EQ(VersionFromUrl("https://auth.cloud.ovh.net/v2.0"), AuthVersion::kV2);
  EXPECT_EQ(VersionFromUrl("https://auth.cloud.ovh.net/v2.0/"), AuthVersion::kV2);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:5000/v3"), AuthVersion::kV3);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:5000/identity/v3/"), AuthVersion::kV3);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:8080/auth/v1.0"), AuthVersion::kV1);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:8080/v1.0"), AuthVersion::kV1);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:5000"), AuthVersion::kUnspecified);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:5000/"), AuthVersion::kUnspecified);
  EXPECT_EQ(VersionFromUrl("http://127.0.0.1:5000/v3?x=1"), AuthVersion::kV3);
}

TEST(AuthVersionTest, ParseExplicit) {
  EXPECT_EQ(ParseAuthVersion("3"), AuthVersion::kV3);
  EXPECT_EQ(ParseAuthVersion("v3"), AuthVersion::kV3);
  EXPECT_EQ(ParseAuthVersion("3.14"), AuthVersion::kV3);
  EXPECT_EQ(ParseAuthVersion("2.0"), AuthVersion::kV2);
  EXPECT_EQ(ParseAuthVersion("2"), AuthVersion::kV2);
  EXPECT_EQ(ParseAuthVersion("1.0"), AuthVersion::kV1);
  EXPECT_EQ(ParseAuthVersion("4"), std::nullopt);
  EXPECT_EQ(ParseAuthVersion(""), std::nullopt);
}

TEST(AuthVersionTest, ResolveDetectsContradictions) {
  AuthConfig config;
  config.auth_url = "http://k:5000/v2.0";
  EXPECT_EQ(*ResolveAuthVersion(config), AuthVersion::kV2);
  config.version = AuthVersion::kV2;
  EXPECT_EQ(*ResolveAuthVersion(config), AuthVersion::kV2);
  config.version = AuthVersion::kV3;
  auto conflict = ResolveAuthVersion(config);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code, ErrorCode::kConfig);
  config.auth_url = "http://k:5000";
  EXPECT_EQ(*ResolveAuthVersion(config), AuthVersion::kV3);
  config.version = AuthVersion::kUnspecified;
  EXPECT_EQ(*ResolveAuthVersion(config), AuthVersion::kUnspecified);
}

}  // namespace
}  // namespace swiftfs::auth
