#pragma once
// Fixture of the swift integration tests: a real SwiftClient against the local Swift
// (scripts/local-swift), authenticated with a Keystone v3 password token, and one unique
// container per test suite, emptied and deleted when the suite ends. Objects are created
// with raw HTTP requests so the client under test is only ever used to read.
// Skips with a message when OS_AUTH_URL is absent.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "keystone_test_session.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/http/curl_http_client.h"
#include "swiftfs/swift/swift_client.h"

namespace swiftfs::testing {

class SwiftIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // PUTs an object (raw HTTP, not through the client under test); fails the test on error.
  // `query` is appended to the URL as is, e.g. "?multipart-manifest=put".
  static void Put(const std::string& name, const std::string& body,
                  std::vector<std::pair<std::string, std::string>> headers = {},
                  const std::string& query = {});
  // Sends a request with the session's token to the container URL + `suffix` (an encoded
  // "/object?query" or empty for the container itself).
  static Result<http::Response> SendRaw(http::Method method, const std::string& suffix,
                                        std::vector<std::pair<std::string, std::string>> headers,
                                        std::string body = {});
  // Every object of the container, paging through the client under test.
  static std::vector<swift::ObjectInfo> ListAll(const std::string& prefix = {});
  // Reads [offset, offset + size) through the client; the bytes read, or the error.
  static Result<std::string> Read(const std::string& name, uint64_t offset, size_t size,
                                  const std::string& if_match = {});

  struct Shared {
    std::unique_ptr<http::CurlGlobal> curl_global;
    StderrLogger logger{LogLevel::kWarning};
    std::unique_ptr<http::CurlHttpClient> http;
    std::unique_ptr<KeystoneTestSession> session;
    Counters counters;
    std::unique_ptr<swift::SwiftClient> client;
    std::string container;
    std::string skip_reason;
  };
  static Shared* shared_;

  static swift::SwiftClient& client() { return *shared_->client; }
  static const std::string& container() { return shared_->container; }
};

// MD5 of `data` in lower-case hex, to compare with Swift's ETags.
std::string Md5Hex(const std::string& data);

}  // namespace swiftfs::testing
