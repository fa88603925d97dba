#include "auth/identity_response.h"

#include <gtest/gtest.h>

#include "support/fake_http_client.h"

namespace swiftfs::testing {
namespace {

using auth::CheckIdentityStatus;
using auth::IdentityContext;

TEST(IdentityResponseTest, ServerMessageFromKeystoneHtmlAndText) {
  EXPECT_EQ(auth::ServerMessage(Reply(401, R"({"error": {"code": 401, "title": "Unauthorized",
                                                "message": "Bad creds"}})"),
                                {}),
            "Bad creds");
  EXPECT_EQ(auth::ServerMessage(Reply(502,
                                      "<!DOCTYPE html>\n<html><head><title>502 Bad\n Gateway"
                                      "</title></head><body>nginx</body></html>"),
                                {}),
            "an HTML error page titled '502 Bad Gateway'");
  EXPECT_EQ(auth::ServerMessage(Reply(500, "  Internal\n error  "), {}), "Internal error");
  EXPECT_EQ(auth::ServerMessage(Reply(500, ""), {}), "");
  EXPECT_LE(auth::ServerMessage(Reply(500, std::string(5000, 'x')), {}).size(), 310u);
}

TEST(IdentityResponseTest, EchoedSecretsAreRedacted) {
  const Secret password("hunter2-long");
  const std::string message = auth::ServerMessage(
      Reply(
          400,
          R"({"error": {"message": "Invalid input for field 'password': 'hunter2-long' is too short"}})"),
      {&password});
  EXPECT_EQ(message.find("hunter2-long"), std::string::npos);
  EXPECT_NE(message.find("<redacted>"), std::string::npos);
}

TEST(IdentityResponseTest, StatusMapping) {
  const IdentityContext context{"http://k/v3/auth/tokens", "demo", {}};
  struct Case {
    int status;
    ErrorCode code;
  } cases[] = {{401, ErrorCode::kUnauthorized},    {403, ErrorCode::kForbidden},
               {400, ErrorCode::kConfig},          {404, ErrorCode::kConfig},
               {429, ErrorCode::kTooManyRequests}, {500, ErrorCode::kServerError},
               {503, ErrorCode::kServerError},     {302, ErrorCode::kBadResponse}};
  for (const auto& c : cases) {
    Status status = CheckIdentityStatus(Reply(c.status), context);
    ASSERT_FALSE(status.ok()) << c.status;
    EXPECT_EQ(status.error().code, c.code) << c.status;
    EXPECT_EQ(status.error().http_status, c.status);
    EXPECT_NE(status.error().message.find("http://k/v3/auth/tokens"), std::string::npos);
  }
  EXPECT_TRUE(CheckIdentityStatus(Reply(201), context).ok());
}

TEST(IdentityResponseTest, ParseJsonBodySaysWhatItGot) {
  auto html = auth::ParseJsonBody(Reply(200, "<html><body>Login</body></html>"), "the thing");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().message, "the thing is not a JSON object (got an HTML page)");
  auto broken = auth::ParseJsonBody(Reply(200, "{\"a\": "), "the thing");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("malformed JSON"), std::string::npos);
  auto empty = auth::ParseJsonBody(Reply(200, ""), "the thing");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("empty body"), std::string::npos);
}

TEST(IdentityResponseTest, TokenLifetimePrefersTheServersIssuedAt) {
  const WallTime now{};
  const WallTime expires = now + std::chrono::hours(2);
  auto measured = auth::TokenLifetime(expires, now + std::chrono::hours(1), now);
  ASSERT_TRUE(measured.ok());
  EXPECT_EQ(**measured, std::chrono::hours(1));
  auto local = auth::TokenLifetime(expires, std::nullopt, now);
  EXPECT_EQ(**local, std::chrono::hours(2));
  auto never = auth::TokenLifetime(std::nullopt, std::nullopt, now);
  EXPECT_FALSE(never->has_value());
  EXPECT_FALSE(auth::TokenLifetime(now, std::nullopt, now).ok());
}

}  // namespace
}  // namespace swiftfs::testing
