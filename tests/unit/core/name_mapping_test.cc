#include "core/name_mapping.h"

#include <gtest/gtest.h>

namespace swiftfs::core {
namespace {

TEST(NameMappingTest, RepresentableComponents) {
  EXPECT_TRUE(IsRepresentableComponent("a"));
  EXPECT_TRUE(IsRepresentableComponent("with space"));
  EXPECT_TRUE(IsRepresentableComponent("%#?+&'\"\\\t-x"));
  EXPECT_TRUE(IsRepresentableComponent("-leading-dash"));
  EXPECT_TRUE(IsRepresentableComponent("\xc3\xa9t\xc3\xa9"));
  EXPECT_TRUE(IsRepresentableComponent("..."));  // only "." and ".." are special
  EXPECT_TRUE(IsRepresentableComponent(std::string(255, 'x')));
  EXPECT_FALSE(IsRepresentableComponent(""));
  EXPECT_FALSE(IsRepresentableComponent("."));
  EXPECT_FALSE(IsRepresentableComponent(".."));
  EXPECT_FALSE(IsRepresentableComponent(std::string(256, 'x')));
  EXPECT_FALSE(IsRepresentableComponent("a/b"));
  EXPECT_FALSE(IsRepresentableComponent(std::string("a\0b", 3)));
}

TEST(NameMappingTest, ValidateLookupName) {
  EXPECT_TRUE(ValidateLookupName("ok").ok());
  EXPECT_EQ(ValidateLookupName(std::string(256, 'x')).error().code, ErrorCode::kNameTooLong);
  EXPECT_EQ(ValidateLookupName("").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ValidateLookupName("a/b").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ValidateLookupName("..").error().code, ErrorCode::kNotFound);
}

TEST(NameMappingTest, ChildComponent) {
  EXPECT_EQ(ChildComponent("", "file"), "file");
  EXPECT_EQ(ChildComponent("p/", "p/file"), "file");
  EXPECT_EQ(ChildComponent("p/", "p/sub/"), "sub");  // subdir entry
  EXPECT_EQ(ChildComponent("p/", "p/"), "");         // the directory's own marker
  EXPECT_EQ(ChildComponent("p/", "p//"), "");        // "p//x": empty component
  EXPECT_EQ(ChildComponent("", "/"), "");            // leading '/'
  EXPECT_EQ(ChildComponent("p/", "p/./"), "");
  EXPECT_EQ(ChildComponent("p/", "p/.."), "");
  EXPECT_EQ(ChildComponent("p/", "q/x"), "");  // not under the prefix
  EXPECT_EQ(ChildComponent("", std::string(256, 'y')), "");
}

}  // namespace
}  // namespace swiftfs::core
