#pragma once
// Shared fixture for the CurlHttpClient tests against cpp-httplib: a server with a handful
// of routes (hello, status/N, redirect, empty, echo-headers, echo for PUT/POST/DELETE) and a
// client factory logging into a CapturingLogger at debug level.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "swiftfs/http/curl_http_client.h"
#include "unit/http/httplib_server.h"

namespace swiftfs::http::test {

// Deterministic bytes repeating with a prime period (65521), so no power-of-two chunk can be
// dropped or repeated without changing the content.
inline std::string Pattern(size_t size) {
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
  swiftfs::testing::HttplibServer server_;
};

}  // namespace swiftfs::http::test
