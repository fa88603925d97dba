// CurlHttpClient against misbehaving peers (RawHttpServer writes exact bytes): bodies cut
// short, stalls, unanswered connects, odd header layouts, and what goes on the wire.

#include <gtest/gtest.h>

#include <array>

#include "swiftfs/http/curl_http_client.h"
#include "unit/http/raw_http_server.h"
#include "unit/http/test_sockets.h"

namespace swiftfs::http {
namespace {

using swiftfs::testing::RawHttpServer;

// A script that reads one request and writes `reply`, then closes the connection.
RawHttpServer::Script ReplyOnce(std::string reply) {
  return [reply](RawHttpServer::Connection& c) {
    if (c.ReadRequest()) c.Send(reply);
  };
}

class CurlHttpClientFaultsTest : public ::testing::Test {
 protected:
  Result<Response> SendGet(CurlHttpClient& client, const std::string& url,
                           BodySink* sink = nullptr) {
    Request r;
    r.url = url;
    r.sink = sink;
    return client.Send(r);
  }

  CurlGlobal curl_global_;
  CapturingLogger logger_{LogLevel::kDebug};
};

TEST_F(CurlHttpClientFaultsTest, BodyCutShortIsConnectionFailed) {
  RawHttpServer server(
      ReplyOnce("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(100, 'x')));
  CurlHttpClient client({}, logger_);
  auto r = SendGet(client, server.Url("/c/o"));
  ASSERT_FALSE(r.ok()) << "a short body passed as complete";
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
  EXPECT_NE(r.error().message.find("GET 127.0.0.1:"), std::string::npos) << r.error().message;
}

TEST_F(CurlHttpClientFaultsTest, BodyCutShortIntoSinkIsConnectionFailed) {
  RawHttpServer server(
      ReplyOnce("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(100, 'x')));
  CurlHttpClient client({}, logger_);
  std::array<char, 1000> buffer{};
  BufferSink sink(buffer);
  auto r = SendGet(client, server.Url("/c/o"), &sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
}

TEST_F(CurlHttpClientFaultsTest, ChunkedBodyCutShortIsConnectionFailed) {
  RawHttpServer server(
      ReplyOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n"
                "10\r\n01234"));
  CurlHttpClient client({}, logger_);
  auto r = SendGet(client, server.Url("/c/o"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
}

TEST_F(CurlHttpClientFaultsTest, ClosedWithoutResponseIsConnectionFailed) {
  RawHttpServer server([](RawHttpServer::Connection& c) { c.ReadRequest(); });
  CurlHttpClient client({}, logger_);
  auto r = SendGet(client, server.Url("/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
}

TEST_F(CurlHttpClientFaultsTest, GarbageResponseIsConnectionFailed) {
  RawHttpServer server(ReplyOnce("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
  CurlHttpClient client({}, logger_);
  auto r = SendGet(client, server.Url("/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnectionFailed);
}

TEST_F(CurlHttpClientFaultsTest, StalledBodyHitsLowSpeedLimit) {
  RawHttpServer server([](RawHttpServer::Connection& c) {
    if (!c.ReadRequest()) return;
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nsome bytes");
    c.WaitForStop();
  });
  CurlOptions options;
  options.low_speed_limit = 1000;
  options.low_speed_time = std::chrono::seconds(1);
  CurlHttpClient client(options, logger_);
  auto r = SendGet(client, server.Url("/stall"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
}

TEST_F(CurlHttpClientFaultsTest, StalledHeadersHitRequestTimeout) {
  RawHttpServer server([](RawHttpServer::Connection& c) {
    if (c.ReadRequest()) c.WaitForStop();
  });
  CurlHttpClient client({}, logger_);
  Request r;
  r.url = server.Url("/stall");
  r.timeout = std::chrono::milliseconds(200);
  auto response = client.Send(r);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kTimeout);
}

TEST_F(CurlHttpClientFaultsTest, UnansweredConnectHitsConnectTimeout) {
  swiftfs::testing::FullBacklogListener blackhole;
  CurlOptions options;
  options.connect_timeout = std::chrono::milliseconds(200);
  CurlHttpClient client(options, logger_);
  auto r = SendGet(client, "http://127.0.0.1:" + std::to_string(blackhole.port()) + "/x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout) << r.error().message;
}

TEST_F(CurlHttpClientFaultsTest, ParsesRawHeaderLayouts) {
  RawHttpServer server(
      ReplyOnce("HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
                "HTTP/1.1 200 OK\r\n"
                "x-MIXED-case:   padded value  \r\n"
                "X-Rep: one\r\n"
                "X-Rep: two\r\n"
                "X-Empty:\r\n"
                "X-Folded: first\r\n"
                "  second\r\n"
                "Content-Length: 2\r\n"
                "\r\n"
                "ok"));
  CurlHttpClient client({}, logger_);
  auto r = SendGet(client, server.Url("/h"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
  EXPECT_FALSE(r->headers.Has("X-Interim"));
  EXPECT_EQ(r->headers.Get("X-Mixed-Case"), "padded value");
  EXPECT_EQ(r->headers.WithPrefix("x-rep").size(), 2u);
  EXPECT_EQ(r->headers.WithPrefix("x-rep")[1].second, "two");
  EXPECT_EQ(r->headers.Get("x-empty"), "");
  EXPECT_EQ(r->headers.Get("x-folded"), "first second");
}

// Answers every request on a connection with an empty 200 until the client closes.
void AnswerAll(RawHttpServer::Connection& c) {
  while (c.ReadRequest()) {
    if (!c.Send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")) return;
  }
}

TEST_F(CurlHttpClientFaultsTest, WhatGoesOnTheWire) {
  RawHttpServer server(AnswerAll);
  CurlHttpClient client({}, logger_);
  Request copy;
  copy.method = Method::kCopy;
  copy.url = server.Url("/v1/AUTH_a/c/a/../b%20c");
  copy.headers.Add("Destination", "c2/o");
  copy.headers.Add("X-Empty", "");
  ASSERT_TRUE(client.Send(copy).ok());
  Request put;
  put.method = Method::kPut;
  put.url = server.Url("/v1/AUTH_a/c/o");
  put.body = std::string(2 * 1024 * 1024, 'p');
  ASSERT_TRUE(client.Send(put).ok());
  Request del;
  del.method = Method::kDelete;
  del.url = server.Url("/v1/AUTH_a/c/o");
  ASSERT_TRUE(client.Send(del).ok());

  const auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  // The path goes out exactly as given: no dot-segment normalisation.
  EXPECT_EQ(requests[0].rfind("COPY /v1/AUTH_a/c/a/../b%20c HTTP/1.1\r\n", 0), 0u) << requests[0];
  EXPECT_NE(requests[0].find("\r\nDestination: c2/o\r\n"), std::string::npos);
  EXPECT_NE(requests[0].find("\r\nX-Empty:"), std::string::npos);
  EXPECT_EQ(requests[1].rfind("PUT /v1/AUTH_a/c/o HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(requests[1].find("\r\nContent-Length: 2097152\r\n"), std::string::npos);
  EXPECT_EQ(requests[1].find("Expect"), std::string::npos);
  EXPECT_EQ(requests[1].find("Content-Type"), std::string::npos);
  EXPECT_EQ(requests[2].rfind("DELETE /v1/AUTH_a/c/o HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(client.connections_opened(), 1u);
}

}  // namespace
}  // namespace swiftfs::http
