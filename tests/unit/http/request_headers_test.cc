#include "http/request_headers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace swiftfs::http {
namespace {

std::vector<std::string> Lines(const curl_slist* list) {
  std::vector<std::string> out;
  for (; list != nullptr; list = list->next) out.emplace_back(list->data);
  return out;
}

TEST(RequestHeadersTest, CallerFieldsThenExpectSuppressed) {
  Request r;
  r.headers.Add("X-Auth-Token", "tok");
  r.headers.Add("Range", "bytes=0-9");
  auto list = BuildHeaderList(r);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Lines(list->get()),
            (std::vector<std::string>{"X-Auth-Token: tok", "Range: bytes=0-9", "Expect:"}));
}

TEST(RequestHeadersTest, EmptyValueUsesSemicolonForm) {
  Request r;
  r.headers.Add("X-Empty", "");
  auto list = BuildHeaderList(r);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Lines(list->get())[0], "X-Empty;");
}

TEST(RequestHeadersTest, BodyWithoutContentTypeSuppressesCurlDefault) {
  Request r;
  r.method = Method::kPut;
  auto list = BuildHeaderList(r);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Lines(list->get()), (std::vector<std::string>{"Expect:", "Content-Type:"}));

  r.headers.Add("content-type", "application/json");
  auto typed = BuildHeaderList(r);
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(Lines(typed->get()),
            (std::vector<std::string>{"content-type: application/json", "Expect:"}));
}

TEST(RequestHeadersTest, CallerExpectIsKept) {
  Request r;
  r.headers.Add("Expect", "100-continue");
  auto list = BuildHeaderList(r);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(Lines(list->get()), (std::vector<std::string>{"Expect: 100-continue"}));
}

TEST(RequestHeadersTest, LineBreakInValueIsRejectedWithoutEchoingIt) {
  Request r;
  r.headers.Add("X-Auth-Token", "secret\r\nX-Evil: 1");
  auto list = BuildHeaderList(r);
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(list.error().message.find("secret"), std::string::npos);
  EXPECT_NE(list.error().message.find("X-Auth-Token"), std::string::npos);
}

TEST(RequestHeadersTest, BadNamesAreRejected) {
  for (const char* name : {"", "Bad Name", "Bad:Name", "Bad\nName"}) {
    Request r;
    r.headers.Add(name, "v");
    auto list = BuildHeaderList(r);
    ASSERT_FALSE(list.ok()) << name;
    EXPECT_EQ(list.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(RequestHeadersTest, SendsBodyForPutPostOrANonEmptyBody) {
  Request r;
  EXPECT_FALSE(SendsBody(r));
  r.method = Method::kPost;
  EXPECT_TRUE(SendsBody(r));
  r.method = Method::kDelete;
  EXPECT_FALSE(SendsBody(r));
  r.body = "x";
  EXPECT_TRUE(SendsBody(r));
}

}  // namespace
}  // namespace swiftfs::http
