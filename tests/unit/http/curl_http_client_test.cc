// CurlHttpClient against a well-behaved in-process HTTP server (cpp-httplib): statuses,
// methods and bodies, keep-alive reuse, concurrency, large bodies, sinks and logging.

#include "swiftfs/http/curl_http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "swiftfs/common/version.h"

#include "unit/http/httplib_server.h"
#include "unit/http/test_sockets.h"

namespace swiftfs::http {
namespace {

using swiftfs::testing::HttplibServer;

// Deterministic bytes repeating with a prime period (65521), so no power-of-two chunk can be
// dropped or repeated without changing the content.
std::string Pattern(size_t size) {
  std::string block(65521, '\0');
  for (size_t i = 0; i < block.size(); ++i)
    block[i] = static_cast<char>((i * 131 + i / 251) & 0xFF);
  std::string out;
  out.reserve(size + block.size());
  while (out.size() < size) out += block;
  out.resize(size);
  return out;
}

class CurlHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& s = server_.server();
    s.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Object-Meta-Color", "blue");
      res.set_content("hello world", "text/plain");
    });
    s.Get("/status/(\\d+)", [](const httplib::Request& req, httplib::Response& res) {
      res.status = std::stoi(req.matches[1]);
      res.set_content("status body", "text/plain");
    });
    s.Get("/redirect",
          [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/hello"); });
    s.Get("/empty", [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
    s.Get("/echo-headers", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(
          req.get_header_value("User-Agent") + "|" + req.get_header_value("X-Auth-Token"),
          "text/plain");
    });
    const auto echo = [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.method + "|" + req.get_header_value("Content-Type") + "|" +
                          req.get_header_value("Expect") + "|" + req.body,
                      "application/octet-stream");
    };
    s.Put("/echo", echo);
    s.Post("/echo", echo);
    s.Delete("/echo", echo);
    server_.Start();
  }

  std::unique_ptr<CurlHttpClient> MakeClient(CurlOptions options = {}) {
    return std::make_unique<CurlHttpClient>(std::move(options), logger_);
  }

  Request Get(const std::string& path) {
    Request r;
    r.url = server_.Url(path);
    return r;
  }

  CurlGlobal curl_global_;
  CapturingLogger logger_{LogLevel::kDebug};
  HttplibServer server_;
};

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

// Records Begin() calls and accepts data up to an optional limit.
class CountingSink final : public BodySink {
 public:
  void Begin(int status, const Headers& headers) override {
    ++begins;
    this->status = status;
    length = headers.Get("Content-Length").value_or("");
  }
  bool Write(std::span<const char> data) override {
    data_.append(data.data(), data.size());
    return !refuse;
  }
  int begins = 0;
  int status = 0;
  std::string length;
  std::string data_;
  bool refuse = false;
};

TEST_F(CurlHttpClientTest, SinkGetsBeginOnceThenTheBody) {
  auto client = MakeClient();
  CountingSink sink;
  Request r = Get("/hello");
  r.sink = &sink;
  auto response = client->Send(r);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(sink.begins, 1);
  EXPECT_EQ(sink.status, 200);
  EXPECT_EQ(sink.length, "11");
  EXPECT_EQ(sink.data_, "hello world");
  EXPECT_EQ(response->body, "");
  EXPECT_EQ(response->body_bytes, 11u);
}

TEST_F(CurlHttpClientTest, SinkGetsBeginForEmptyBodies) {
  auto client = MakeClient();
  CountingSink empty;
  Request r = Get("/empty");
  r.sink = &empty;
  ASSERT_TRUE(client->Send(r).ok());
  EXPECT_EQ(empty.begins, 1);
  EXPECT_EQ(empty.status, 204);

  CountingSink head;
  Request h = Get("/hello");
  h.method = Method::kHead;
  h.sink = &head;
  ASSERT_TRUE(client->Send(h).ok());
  EXPECT_EQ(head.begins, 1);
  EXPECT_EQ(head.length, "11");
  EXPECT_EQ(head.data_, "");
}

TEST_F(CurlHttpClientTest, RefusingSinkCancelsAndClientStaysUsable) {
  auto client = MakeClient();
  CountingSink sink;
  sink.refuse = true;
  Request r = Get("/hello");
  r.sink = &sink;
  auto response = client->Send(r);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kCancelled);
  ASSERT_TRUE(client->Send(Get("/hello")).ok());
}

TEST_F(CurlHttpClientTest, OverflowingBufferSinkIsRangeError) {
  auto client = MakeClient();
  std::array<char, 5> buffer{};
  BufferSink sink(buffer);
  Request r = Get("/hello");
  r.sink = &sink;
  auto response = client->Send(r);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::kRange);
}

class LargeBodyTest : public CurlHttpClientTest {
 protected:
  static constexpr size_t kSize = 64 * 1024 * 1024;
  void SetUp() override {
    expected_ = Pattern(kSize);
    server_.server().Get("/large", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(expected_, "application/octet-stream");
    });
    CurlHttpClientTest::SetUp();
  }
  std::string expected_;
};

TEST_F(LargeBodyTest, StreamsIntoBufferSinkByteExact) {
  auto client = MakeClient();
  std::vector<char> buffer(kSize);
  BufferSink sink(buffer);
  Request r = Get("/large");
  r.sink = &sink;
  auto response = client->Send(r);
  ASSERT_TRUE(response.ok()) << response.error().ToString();
  EXPECT_EQ(response->body_bytes, kSize);
  ASSERT_EQ(sink.size(), kSize);
  EXPECT_EQ(std::memcmp(buffer.data(), expected_.data(), kSize), 0);
}

TEST_F(LargeBodyTest, CollectsIntoResponseBodyByteExact) {
  auto client = MakeClient();
  auto response = client->Send(Get("/large"));
  ASSERT_TRUE(response.ok()) << response.error().ToString();
  ASSERT_EQ(response->body.size(), kSize);
  EXPECT_TRUE(response->body == expected_);
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
}  // namespace swiftfs::http
