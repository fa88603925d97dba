#include "swift_integration_fixture.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "integration/container_request.h"

namespace swiftfs::testing {

SwiftIntegrationTest::Shared* SwiftIntegrationTest::shared_ = nullptr;

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof(byte), "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

void SwiftIntegrationTest::SetUpTestSuite() {
  shared_ = new Shared();
  auto config = KeystoneTestConfig::FromEnvironment();
  if (!config) {
    shared_->skip_reason =
        "OS_AUTH_URL is not set: run under scripts/test or eval \"$(scripts/local-swift env)\"";
    return;
  }
  shared_->curl_global = std::make_unique<http::CurlGlobal>();
  shared_->http = std::make_unique<http::CurlHttpClient>(http::CurlOptions{}, shared_->logger);
  shared_->session = std::make_unique<KeystoneTestSession>(*config, *shared_->http);
  shared_->client = std::make_unique<swift::SwiftClient>(*shared_->http, *shared_->session,
                                                         shared_->counters, shared_->logger);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  shared_->container =
      "swiftfs-it swift #" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  auto created = SendRaw(http::Method::kPut, "", {});
  if (!created || (created->status != 201 && created->status != 202)) {
    shared_->skip_reason = "cannot create the test container: " +
                           (created ? std::to_string(created->status) : created.error().ToString());
  }
}

void SwiftIntegrationTest::TearDownTestSuite() {
  if (shared_ != nullptr && shared_->skip_reason.empty() && shared_->client) {
    // Delete everything, manifests included (segments are ordinary objects here).
    for (const auto& object : ListAll()) {
      (void)SendRaw(http::Method::kDelete,
                    "/" + http::PercentEncode(object.name, /*keep_slash=*/true), {});
    }
    auto deleted = SendRaw(http::Method::kDelete, "", {});
    if (!deleted || deleted->status != 204) {
      ADD_FAILURE() << "could not delete test container " << shared_->container;
    }
  }
  delete shared_;
  shared_ = nullptr;
}

void SwiftIntegrationTest::SetUp() {
  if (!shared_->skip_reason.empty()) GTEST_SKIP() << shared_->skip_reason;
}

Result<http::Response> SwiftIntegrationTest::SendRaw(
    http::Method method, const std::string& suffix,
    std::vector<std::pair<std::string, std::string>> headers, std::string body) {
  return SendToContainer(*shared_->http, *shared_->session, shared_->logger, shared_->container,
                         method, suffix, headers, body);
}

void SwiftIntegrationTest::Put(const std::string& name, const std::string& body,
                               std::vector<std::pair<std::string, std::string>> headers,
                               const std::string& query) {
  auto response =
      SendRaw(http::Method::kPut, "/" + http::PercentEncode(name, /*keep_slash=*/true) + query,
              std::move(headers), body);
  ASSERT_TRUE(response.ok()) << name << ": " << response.error().ToString();
  ASSERT_EQ(response->status, 201) << "PUT " << name << ": " << response->body;
}

std::vector<swift::ObjectInfo> SwiftIntegrationTest::ListAll(const std::string& prefix) {
  std::vector<swift::ObjectInfo> out;
  swift::ListRequest request;
  request.container = shared_->container;
  request.prefix = prefix;
  request.limit = 1000;
  while (true) {
    auto page = shared_->client->ListObjects(request);
    if (!page) {
      ADD_FAILURE() << page.error().ToString();
      return out;
    }
    for (auto& entry : page->entries) out.push_back(entry.info);
    if (page->entries.size() < request.limit) return out;
    request.marker = page->entries.back().name;
  }
}

Result<std::string> SwiftIntegrationTest::Read(const std::string& name, uint64_t offset,
                                               size_t size, const std::string& if_match) {
  std::string buffer(size, '\0');
  auto r = shared_->client->GetRange(shared_->container, name, offset, std::span<char>(buffer),
                                     if_match);
  if (!r) return std::move(r).error();
  buffer.resize(r->bytes);
  return buffer;
}

}  // namespace swiftfs::testing
