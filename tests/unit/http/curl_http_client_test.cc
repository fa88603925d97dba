// CurlHttpClient against a well-behaved in-process HTTP server (cpp-httplib): statuses,
// methods and request bodies, keep-alive reuse, concurrency, logging and argument errors.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "swiftfs/common/version.h"
#include "unit/http/curl_http_client_fixture.h"
#include "unit/http/test_sockets.h"

namespace swiftfs::http::test {
namespace {

TEST_F(CurlHttpClientTest, GetReturnsStatusHeadersAndBody) {
  auto client = MakeClient();
  auto r = client->Send(Get("/hello"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello world");
  EXPECT_EQ(r->body_bytes, 11u);
  EXPECT_EQ(r->headers.Get("x-object-meta-color"), "blue");
  EXPECT_EQ(r->headers.Get("CONTENT-LENGTH"), "11");
}

TEST_F(CurlHttpClientTest, ErrorStatusesAreResponsesNotErrors) {
  auto client = MakeClient();
  for (int status : {401, 404, 416, 500, 503}) {
    auto r = client->Send(Get("/status/" + std::to_string(status)));
    ASSERT_TRUE(r.ok()) << status;
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->body, "status body");
  }
}

TEST_F(CurlHttpClientTest, RedirectsAreNotFollowed) {
  auto client = MakeClient();
  auto r = client->Send(Get("/redirect"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->headers.Get("Location"), "/hello");
}

TEST_F(CurlHttpClientTest, SequentialRequestsReuseOneConnection) {
  auto client = MakeClient();
  for (int i = 0; i < 20; ++i) {
    auto r = client->Send(Get(i % 2 ? "/hello" : "/status/404"));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(CurlHttpClientTest, WithoutIdleHandlesEveryRequestConnectsAnew) {
  // The pooled handles are what keep connections open: with none kept, none are reused.
  CurlOptions options;
  options.max_idle_handles = 0;
  auto client = MakeClient(options);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->Send(Get("/hello")).ok());
  EXPECT_EQ(client->connections_opened(), 3u);
}

TEST_F(CurlHttpClientTest, ConcurrentSendsFromManyThreads) {
  auto client = MakeClient();
  // cpp-httplib listens with a backlog of 5: more simultaneous connects than fit the accept
  // queue would wait a SYN retransmission (1 s) without testing anything more.
  constexpr int kThreads = 6;
  constexpr int kRequestsEach = 40;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kRequestsEach; ++i) {
        auto r = client->Send(Get("/hello"));
        if (r.ok() && r->status == 200 && r->body == "hello world") ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kThreads * kRequestsEach);
  // Never more connections than transfers in flight at once: idle ones are reused.
  EXPECT_GE(client->connections_opened(), 1u);
  EXPECT_LE(client->connections_opened(), static_cast<uint64_t>(kThreads));
}

TEST_F(CurlHttpClientTest, HeadReportsContentLengthWithoutBody) {
  auto client = MakeClient();
  Request r = Get("/hello");
  r.method = Method::kHead;
  auto head = client->Send(r);
  ASSERT_TRUE(head.ok()) << head.error().ToString();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("Content-Length"), "11");
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->body_bytes, 0u);
  // The connection stays usable after a body-less response.
  auto get = client->Send(Get("/hello"));
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->body, "hello world");
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST_F(CurlHttpClientTest, PutPostDeleteCarryBodiesWithoutExpectOrFormType) {
  auto client = MakeClient();
  const std::string big = Pattern(3 * 1024 * 1024);  // large enough for curl to want Expect
  Request put = Get("/echo");
  put.method = Method::kPut;
  put.body = big;
  auto r = client->Send(put);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->body == "PUT|||" + big) << "echoed " << r->body.size() << " bytes";

  Request post = Get("/echo");
  post.method = Method::kPost;
  post.body = std::string("{\"a\":\0}", 7);
  post.headers.Add("Content-Type", "application/json");
  r = client->Send(post);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "POST|application/json||" + post.body);

  Request empty_put = Get("/echo");
  empty_put.method = Method::kPut;
  r = client->Send(empty_put);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "PUT|||");

  Request del = Get("/echo");
  del.method = Method::kDelete;
  r = client->Send(del);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "DELETE|||");
}

TEST_F(CurlHttpClientTest, SendsUserAgentAndRequestHeaders) {
  auto client = MakeClient();
  Request r = Get("/echo-headers");
  r.headers.Add("X-Auth-Token", "tok");
  auto response = client->Send(r);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, std::string("swiftfs/") + kVersion + "|tok");

  CurlOptions options;
  options.user_agent = "custom/1";
  auto custom = MakeClient(options)->Send(Get("/echo-headers"));
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->body, "custom/1|");
}

TEST_F(CurlHttpClientTest, DebugLogHasOneLinePerRequestAndNoSecrets) {
  auto client = MakeClient();
  Request r = Get("/echo?temp_url_sig=SIGSECRET");
  r.method = Method::kPost;
  r.headers.Add("X-Auth-Token", "TOKENSECRET");
  r.headers.Add("X-Auth-Key", "KEYSECRET");
  r.body = "{\"password\":\"PASSWORDSECRET\"}";
  ASSERT_TRUE(client->Send(r).ok());
  const auto lines = logger_.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("POST 127.0.0.1:"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("/echo -> 200"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(" bytes"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(" ms"), std::string::npos) << lines[0];
  for (const char* secret : {"SIGSECRET", "TOKENSECRET", "KEYSECRET", "PASSWORDSECRET"}) {
    EXPECT_FALSE(logger_.Contains(secret)) << secret;
  }
}

TEST_F(CurlHttpClientTest, NothingLoggedAboveDebug) {
  CapturingLogger quiet(LogLevel::kInfo);
  CurlHttpClient client(CurlOptions{}, quiet);
  ASSERT_TRUE(client.Send(Get("/hello")).ok());
  EXPECT_TRUE(quiet.Lines().empty());
}

TEST_F(CurlHttpClientTest, RefusedConnectionIsConnectionFailed) {
  swiftfs::testing::RefusingPort refusing;
  auto client = MakeClient();
  Request r;
  r.url = "http://127.0.0.1:" + std::to_string(refusing.port()) + "/v1/AUTH_a/c?sig=SECRET";
  r.headers.Add("X-Auth-Token", "TOKENSECRET");
  auto response = client->Send(r);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kConnectionFailed);
  const std::string& message = response.error().message;
  EXPECT_NE(message.find("GET 127.0.0.1:" + std::to_string(refusing.port()) + "/v1/AUTH_a/c"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("SECRET"), std::string::npos) << message;
  EXPECT_FALSE(logger_.Contains("SECRET"));
  EXPECT_TRUE(logger_.Contains("failed (connection-failed)"));
}

TEST_F(CurlHttpClientTest, LogUrlReplacesAUrlThatHoldsASecret) {
  auto client = MakeClient();
  Request r;
  r.method = Method::kDelete;
  r.url = server_.Url("/echo?token=TOKENINPATH");
  r.log_url = "keystone/v2.0/tokens/<tok:1234>";
  ASSERT_TRUE(client->Send(r).ok());
  EXPECT_TRUE(logger_.Contains("keystone/v2.0/tokens/<tok:1234>"));
  EXPECT_FALSE(logger_.Contains("TOKENINPATH"));

  swiftfs::testing::RefusingPort refusing;
  r.url = "http://127.0.0.1:" + std::to_string(refusing.port()) + "/v2.0/tokens/TOKENINPATH";
  auto refused = client->Send(r);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("<tok:1234>"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("TOKENINPATH"), std::string::npos);
  EXPECT_FALSE(logger_.Contains("TOKENINPATH"));
}

TEST_F(CurlHttpClientTest, BadUrlsAreInvalidArgument) {
  auto client = MakeClient();
  for (const char* url : {"", "not a url", "ftp://127.0.0.1/x", "file:///etc/passwd", "http://"}) {
    Request r;
    r.url = url;
    auto response = client->Send(r);
    ASSERT_FALSE(response.ok()) << url;
    EXPECT_EQ(response.error().code, ErrorCode::kInvalidArgument) << url;
  }
}

TEST_F(CurlHttpClientTest, GetWithBodyOrBadHeaderIsInvalidArgument) {
  auto client = MakeClient();
  Request with_body = Get("/hello");
  with_body.body = "x";
  auto r = client->Send(with_body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

  Request injected = Get("/hello");
  injected.headers.Add("X-Auth-Token", "a\r\nX-Other: b");
  r = client->Send(injected);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("GET 127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace swiftfs::http::test
