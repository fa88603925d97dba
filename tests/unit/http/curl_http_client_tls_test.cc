// CurlHttpClient over HTTPS with a self-signed certificate: rejected by default (the system
// store does not trust it), accepted when the certificate is given as ca_file, or when the
// user turned verification off.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "swiftfs/http/curl_http_client.h"
#include "unit/http/httplib_server.h"
#include "unit/http/self_signed_cert.h"

namespace swiftfs::http {
namespace {

class CurlHttpClientTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = swiftfs::testing::MakeSelfSignedCert();
    char dir_template[] = "/tmp/swiftfs-tls-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    ca_file_ = dir_ / "ca.pem";
    std::ofstream(ca_file_) << cert_.cert_pem;

    server_ = std::make_unique<swiftfs::testing::HttplibServer>(
        std::make_unique<httplib::SSLServer>(cert_.cert.get(), cert_.key.get()), "https");
    server_->server().Get("/secure", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("secret stuff", "text/plain");
    });
    server_->Start();
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<Response> Fetch(CurlOptions options) {
    CurlHttpClient client(std::move(options), logger_);
    Request r;
    r.url = server_->Url("/secure");
    return client.Send(r);
  }

  CurlGlobal curl_global_;
  CapturingLogger logger_{LogLevel::kDebug};
  swiftfs::testing::SelfSignedCert cert_;
  std::filesystem::path dir_;
  std::filesystem::path ca_file_;
  std::unique_ptr<swiftfs::testing::HttplibServer> server_;
};

TEST_F(CurlHttpClientTlsTest, SelfSignedRejectedByDefault) {
  auto r = Fetch({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTlsError) << r.error().message;
  EXPECT_NE(r.error().message.find("ca_file"), std::string::npos) << r.error().message;
}

TEST_F(CurlHttpClientTlsTest, AcceptedWithCaFile) {
  CurlOptions options;
  options.ca_file = ca_file_.string();
  auto r = Fetch(options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "secret stuff");
}

TEST_F(CurlHttpClientTlsTest, MissingCaFileIsTlsError) {
  CurlOptions options;
  options.ca_file = (dir_ / "missing.pem").string();
  auto r = Fetch(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTlsError) << r.error().message;
}

TEST_F(CurlHttpClientTlsTest, AcceptedWhenVerificationIsOff) {
  CurlOptions options;
  options.verify_tls = false;
  auto r = Fetch(options);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->body, "secret stuff");
}

}  // namespace
}  // namespace swiftfs::http
