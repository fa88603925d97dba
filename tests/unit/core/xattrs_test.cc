#include "core/xattrs.h"

#include <gtest/gtest.h>

namespace swiftfs::core {
namespace {

swift::ObjectInfo Described() {
  swift::ObjectInfo info;
  info.etag = "abc";
  info.content_type = "text/plain";
  info.metadata["color"] = "blue";
  return info;  // no timestamp
}

TEST(XattrsTest, NamesListWhatThereIs) {
  EXPECT_EQ(XattrNames(Described()),
            (std::vector<std::string>{"user.swift.etag", "user.swift.content_type",
                                      "user.swift.meta.color"}));
  EXPECT_TRUE(XattrNames(swift::ObjectInfo{}).empty());
}

TEST(XattrsTest, ValuesAndAbsentOnes) {
  const swift::ObjectInfo info = Described();
  EXPECT_EQ(*XattrValue(info, "user.swift.etag"), "abc");
  EXPECT_EQ(*XattrValue(info, "user.swift.meta.color"), "blue");
  EXPECT_EQ(XattrValue(info, "user.swift.timestamp").error().code, ErrorCode::kNoData);  // empty
  EXPECT_EQ(XattrValue(info, "user.swift.meta.size").error().code, ErrorCode::kNoData);
  EXPECT_EQ(XattrValue(info, "user.swift.other").error().code, ErrorCode::kNoData);
  EXPECT_EQ(XattrValue(info, "security.selinux").error().code, ErrorCode::kNoData);
}

TEST(XattrsTest, OnlyUserSwiftNamesAreOurs) {
  EXPECT_TRUE(IsSwiftXattr("user.swift.etag"));
  EXPECT_FALSE(IsSwiftXattr("user.other"));
  EXPECT_FALSE(IsSwiftXattr("user.swift"));
}

}  // namespace
}  // namespace swiftfs::core
