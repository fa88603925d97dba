// Request::cancel (a FUSE interrupt) and CurlOptions::shutdown (unmount) abort a transfer
// that a stalled server would otherwise keep going until the low-speed limit.

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "swiftfs/http/curl_http_client.h"
#include "unit/http/raw_http_server.h"

namespace swiftfs::http {
namespace {

using swiftfs::testing::RawHttpServer;

// Answers with the start of a body, sets `flag` (as an interrupt would, mid-transfer) and
// stalls until the server is destroyed.
RawHttpServer::Script StallAfterSetting(std::atomic<bool>& flag) {
  return [&flag](RawHttpServer::Connection& c) {
    if (!c.ReadRequest()) return;
    c.Send("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n0123456789");
    flag = true;
    c.WaitForStop();
  };
}

class CurlHttpClientCancelTest : public ::testing::Test {
 protected:
  CurlGlobal curl_global_;
  CapturingLogger logger_{LogLevel::kDebug};
};

TEST_F(CurlHttpClientCancelTest, CancelAbortsAStalledTransfer) {
  std::atomic<bool> cancel{false};
  RawHttpServer server(StallAfterSetting(cancel));
  CurlHttpClient client({}, logger_);  // low-speed limit: 30 s, never reached here
  std::vector<char> buffer(100000);
  BufferSink sink(buffer);
  Request r;
  r.url = server.Url("/c/o");
  r.sink = &sink;
  r.cancel = &cancel;
  auto result = client.Send(r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_NE(result.error().message.find("interrupted"), std::string::npos)
      << result.error().message;
}

TEST_F(CurlHttpClientCancelTest, ShutdownAbortsEveryTransfer) {
  std::atomic<bool> shutdown{false};
  RawHttpServer server(StallAfterSetting(shutdown));
  CurlOptions options;
  options.shutdown = &shutdown;
  CurlHttpClient client(options, logger_);
  Request r;
  r.url = server.Url("/v1/AUTH_a");
  auto result = client.Send(r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kCancelled);
  EXPECT_NE(result.error().message.find("shutting down"), std::string::npos)
      << result.error().message;
  // After shutdown nothing new goes out.
  auto again = client.Send(r);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kCancelled);
  EXPECT_EQ(server.Requests().size(), 1u);
}

TEST_F(CurlHttpClientCancelTest, AnUnsetFlagChangesNothing) {
  std::atomic<bool> cancel{false};
  RawHttpServer server([](RawHttpServer::Connection& c) {
    if (c.ReadRequest()) c.Send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  });
  CurlHttpClient client({}, logger_);
  Request r;
  r.url = server.Url("/x");
  r.cancel = &cancel;
  auto result = client.Send(r);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->body, "ok");
}

}  // namespace
}  // namespace swiftfs::http
