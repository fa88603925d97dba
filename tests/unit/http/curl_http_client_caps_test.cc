// Caps on what a server can make us hold: a collected body (listings, identity answers,
// /info, error pages) and the response headers. Over a cap: kBadResponse naming it.

#include <gtest/gtest.h>

#include <vector>

#include "swiftfs/http/curl_http_client.h"
#include "unit/http/raw_http_server.h"

namespace swiftfs::http {
namespace {

using swiftfs::testing::RawHttpServer;

RawHttpServer::Script ReplyOnce(std::string reply) {
  return [reply](RawHttpServer::Connection& c) {
    if (c.ReadRequest()) c.Send(reply);
  };
}

std::string Reply200(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class CurlHttpClientCapsTest : public ::testing::Test {
 protected:
  Result<Response> Get(CurlHttpClient& client, const std::string& url, uint64_t max_body,
                       BodySink* sink = nullptr) {
    Request r;
    r.url = url;
    r.max_body_bytes = max_body;
    r.sink = sink;
    return client.Send(r);
  }

  CurlGlobal curl_global_;
  CapturingLogger logger_{LogLevel::kDebug};
};

TEST_F(CurlHttpClientCapsTest, ABodyOverTheCapIsABadResponse) {
  RawHttpServer server(ReplyOnce(Reply200(std::string(2000, 'x'))));
  CurlHttpClient client({}, logger_);
  auto r = Get(client, server.Url("/v1/AUTH_a?format=json"), 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(r.error().message.find("larger than the 1000-byte cap"), std::string::npos)
      << r.error().message;
}

TEST_F(CurlHttpClientCapsTest, AChunkedBodyOverTheCapIsABadResponse) {
  // No Content-Length: the cap must hold while the body streams in.
  RawHttpServer server([](RawHttpServer::Connection& c) {
    if (!c.ReadRequest()) return;
    c.Send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "400\r\n" + std::string(1024, 'y') + "\r\n";
    for (int i = 0; i < 64; ++i) {
      if (!c.Send(chunk)) return;
    }
    c.Send("0\r\n\r\n");
  });
  CurlHttpClient client({}, logger_);
  auto r = Get(client, server.Url("/info"), 10 * 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
}

TEST_F(CurlHttpClientCapsTest, ABodyOfExactlyTheCapPasses) {
  RawHttpServer server(ReplyOnce(Reply200(std::string(1000, 'x'))));
  CurlHttpClient client({}, logger_);
  auto r = Get(client, server.Url("/x"), 1000);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->body.size(), 1000u);
}

TEST_F(CurlHttpClientCapsTest, ASinkIsNotBoundByTheCollectedBodyCap) {
  RawHttpServer server(ReplyOnce(Reply200(std::string(2000, 'x'))));
  CurlHttpClient client({}, logger_);
  std::vector<char> buffer(2000);
  BufferSink sink(buffer);
  auto r = Get(client, server.Url("/c/o"), 1000, &sink);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(sink.size(), 2000u);
}

TEST_F(CurlHttpClientCapsTest, HeadersOverTheCapAreABadResponse) {
  std::string reply = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 2000; ++i)
    reply += "X-Object-Meta-F" + std::to_string(i) + ": " + std::string(200, 'h') + "\r\n";
  reply += "Content-Length: 2\r\n\r\nok";
  RawHttpServer server(ReplyOnce(reply));
  CurlOptions options;
  options.max_header_bytes = 64 * 1024;
  CurlHttpClient client(options, logger_);
  auto r = Get(client, server.Url("/c/o"), 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(r.error().message.find("headers larger than the 65536-byte cap"), std::string::npos)
      << r.error().message;
}

TEST_F(CurlHttpClientCapsTest, TheDefaultCapsAreGenerousButFinite) {
  EXPECT_EQ(Request{}.max_body_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(CurlOptions{}.max_header_bytes, 256u * 1024);
}

}  // namespace
}  // namespace swiftfs::http
