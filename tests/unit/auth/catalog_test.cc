#include "auth/catalog.h"

#include <gtest/gtest.h>

namespace swiftfs::auth {
namespace {

const CatalogEndpoint kIdentity{"identity", "RegionOne", Interface::kPublic, "http://k/v3"};

std::vector<CatalogEndpoint> TwoRegions() {
  return {kIdentity,
          {"object-store", "RegionOne", Interface::kPublic, "http://one/v1/AUTH_p/"},
          {"object-store", "RegionOne", Interface::kInternal, "http://one-int/v1/AUTH_p"},
          {"object-store", "RegionTwo", Interface::kPublic, "http://two/v1/AUTH_p"}};
}

TEST(CatalogTest, PicksRegionAndInterface) {
  auto one = SelectObjectStoreEndpoint(TwoRegions(), "RegionOne", Interface::kPublic);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->url, "http://one/v1/AUTH_p");
  EXPECT_EQ(one->region, "RegionOne");
  auto internal = SelectObjectStoreEndpoint(TwoRegions(), "RegionOne", Interface::kInternal);
  ASSERT_TRUE(internal.ok());
  EXPECT_EQ(internal->url, "http://one-int/v1/AUTH_p");
  auto two = SelectObjectStoreEndpoint(TwoRegions(), "RegionTwo", Interface::kPublic);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->url, "http://two/v1/AUTH_p");
}

TEST(CatalogTest, TheOnlyRegionNeedsNoChoice) {
  std::vector<CatalogEndpoint> catalog = {
      kIdentity, {"object-store", "GRA", Interface::kPublic, "http://gra/v1/AUTH_p"}};
  auto chosen = SelectObjectStoreEndpoint(catalog, "", Interface::kPublic);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->region, "GRA");
}

TEST(CatalogTest, SeveralRegionsWithoutChoiceListsThem) {
  auto result = SelectObjectStoreEndpoint(TwoRegions(), "", Interface::kPublic);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kConfig);
  EXPECT_NE(result.error().message.find("'RegionOne', 'RegionTwo'"), std::string::npos);
  EXPECT_NE(result.error().message.find("OS_REGION_NAME"), std::string::npos);
}

TEST(CatalogTest, UnknownRegionListsTheAvailableOnes) {
  auto result = SelectObjectStoreEndpoint(TwoRegions(), "SBG1", Interface::kPublic);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "the object-store service has no endpoint in region 'SBG1' (regions available: "
            "'RegionOne', 'RegionTwo'); check OS_REGION_NAME");
}

TEST(CatalogTest, MissingInterfaceListsTheAvailableOnes) {
  auto result = SelectObjectStoreEndpoint(TwoRegions(), "RegionTwo", Interface::kAdmin);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("no admin endpoint in region 'RegionTwo'"),
            std::string::npos);
  EXPECT_NE(result.error().message.find("'public'"), std::string::npos);
}

TEST(CatalogTest, NoObjectStoreListsTheServicesFound) {
  std::vector<CatalogEndpoint> catalog = {
      kIdentity, {"compute", "RegionOne", Interface::kPublic, "http://nova"}};
  auto result = SelectObjectStoreEndpoint(catalog, "RegionOne", Interface::kPublic);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "the service catalog has no object-store (Swift) endpoint (services found: "
            "'compute', 'identity')");
  auto empty = SelectObjectStoreEndpoint({}, "", Interface::kPublic);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
}

TEST(CatalogTest, SelectsByTypeNotByName) {
  // A service named "swift" of another type is not Swift; "object-store" is, whatever its name.
  std::vector<CatalogEndpoint> catalog = {
      {"swift-ish", "R", Interface::kPublic, "http://wrong"},
      {"object-store", "R", Interface::kPublic, "http://right/v1/AUTH_p"}};
  auto chosen = SelectObjectStoreEndpoint(catalog, "", Interface::kPublic);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->url, "http://right/v1/AUTH_p");
}

}  // namespace
}  // namespace swiftfs::auth
