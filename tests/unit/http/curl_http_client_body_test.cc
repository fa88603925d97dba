// CurlHttpClient response bodies: sinks (Begin once, refusal, overflow) and 64 MiB bodies
// streamed into a caller's buffer or collected, checked byte for byte.

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "unit/http/curl_http_client_fixture.h"

namespace swiftfs::http::test {
namespace {

// Records Begin() calls and the data written; refuses every Write() when `refuse` is set.
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

// An upload body the caller owns (a segment in its buffer) goes out byte for byte without
// being copied into the request, and takes precedence over `body`.
TEST_F(CurlHttpClientTest, BodyViewIsSentInsteadOfBody) {
  auto client = MakeClient();
  const std::string segment = Pattern(5 * 1024 * 1024 + 7);
  Request put = Get("/echo");
  put.method = Method::kPut;
  put.body = "ignored";
  put.body_view = std::span<const char>(segment.data(), segment.size());
  auto r = client->Send(put);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->body == "PUT|||" + segment) << "echoed " << r->body.size() << " bytes";

  Request get = Get("/hello");
  get.body_view = put.body_view;
  auto refused = client->Send(get);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace swiftfs::http::test
