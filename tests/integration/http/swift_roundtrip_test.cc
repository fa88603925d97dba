// CurlHttpClient against a real Swift: authenticate by hand (Keystone v3 password with
// project scope, and tempauth v1), then create a container, PUT an object, HEAD it, read a
// range and delete what was created. Needs the environment of `scripts/local-swift env`;
// skipped without it.

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "swiftfs/common/secret.h"
#include "swiftfs/http/curl_http_client.h"

namespace swiftfs::http {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string UniqueName(const std::string& prefix) {
  std::random_device random;
  return prefix + std::to_string(random()) + std::to_string(random());
}

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr), 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

struct StorageAccess {
  std::string storage_url;  // e.g. http://127.0.0.1:8080/v1/AUTH_<project>
  Secret token;
};

class SwiftRoundTripTest : public ::testing::Test {
 protected:
  Request Make(Method method, const std::string& url) {
    Request r;
    r.method = method;
    r.url = url;
    r.timeout = std::chrono::seconds(30);
    return r;
  }
  Request Authed(Method method, const std::string& url, const StorageAccess& access) {
    Request r = Make(method, url);
    r.headers.Add("X-Auth-Token", access.token.Reveal());
    return r;
  }

  // Container, object, HEAD, ranged GET (into a string and into a buffer), then cleanup.
  void RunRoundTrip(const StorageAccess& access);

  CurlGlobal curl_global_;
  CapturingLogger logger_{LogLevel::kDebug};
  CurlHttpClient client_{CurlOptions{}, logger_};
};

// Deletes the object and the container when the test ends, whether it passed or not.
class Cleanup {
 public:
  Cleanup(HttpClient& client, std::string container_url, std::string token)
      : client_(client), container_url_(std::move(container_url)), token_(std::move(token)) {}
  ~Cleanup() {
    for (const std::string& url : {object_url, container_url_}) {
      if (url.empty()) continue;
      Request r;
      r.method = Method::kDelete;
      r.url = url;
      r.headers.Add("X-Auth-Token", token_.Reveal());
      auto response = client_.Send(r);
      EXPECT_TRUE(response.ok() && (response->status == 204 || response->status == 404))
          << "cleanup of " << UrlForLog(url) << " failed";
    }
  }
  std::string object_url;

 private:
  HttpClient& client_;
  std::string container_url_;
  Secret token_;
};

void SwiftRoundTripTest::RunRoundTrip(const StorageAccess& access) {
  const std::string container = UniqueName("swiftfs-http-it-");
  const std::string container_url = access.storage_url + "/" + PercentEncode(container, false);
  Cleanup cleanup(client_, container_url, access.token.Reveal());

  auto put_container = client_.Send(Authed(Method::kPut, container_url, access));
  ASSERT_TRUE(put_container.ok()) << put_container.error().ToString();
  ASSERT_TRUE(put_container->status == 201 || put_container->status == 202)
      << put_container->status;

  const uint64_t connections_before = client_.connections_opened();
  const std::string object_url =
      container_url + "/" + PercentEncode("dir/h\xC3\xA9llo w+rld.bin", true);
  cleanup.object_url = object_url;
  std::string content;
  for (int i = 0; i < 1000; ++i) content.push_back(static_cast<char>((i * 7) & 0xFF));
  Request put = Authed(Method::kPut, object_url, access);
  put.headers.Add("Content-Type", "application/octet-stream");
  put.body = content;
  auto put_object = client_.Send(put);
  ASSERT_TRUE(put_object.ok()) << put_object.error().ToString();
  ASSERT_EQ(put_object->status, 201) << put_object->body;
  const std::string md5 = Md5Hex(content);
  EXPECT_EQ(put_object->headers.Get("etag"), md5);

  auto head = client_.Send(Authed(Method::kHead, object_url, access));
  ASSERT_TRUE(head.ok()) << head.error().ToString();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers.Get("Content-Length"), "1000");
  EXPECT_EQ(head->headers.Get("ETAG"), md5);
  EXPECT_TRUE(head->headers.Has("last-modified"));
  EXPECT_EQ(head->headers.Get("Content-Type"), "application/octet-stream");
  EXPECT_EQ(head->body_bytes, 0u);

  Request range = Authed(Method::kGet, object_url, access);
  range.headers.Add("Range", "bytes=100-199");
  range.headers.Add("If-Match", md5);
  auto get = client_.Send(range);
  ASSERT_TRUE(get.ok()) << get.error().ToString();
  EXPECT_EQ(get->status, 206);
  EXPECT_EQ(get->headers.Get("Content-Range"), "bytes 100-199/1000");
  EXPECT_TRUE(get->body == content.substr(100, 100));

  std::array<char, 100> buffer{};
  BufferSink sink(buffer);
  range.sink = &sink;
  auto into_sink = client_.Send(range);
  ASSERT_TRUE(into_sink.ok()) << into_sink.error().ToString();
  EXPECT_EQ(into_sink->status, 206);
  ASSERT_EQ(sink.size(), 100u);
  EXPECT_EQ(std::string(buffer.data(), buffer.size()), content.substr(100, 100));

  Request stale = Authed(Method::kGet, object_url, access);
  stale.headers.Add("Range", "bytes=0-9");
  stale.headers.Add("If-Match", "\"0123456789abcdef0123456789abcdef\"");
  auto precondition = client_.Send(stale);
  ASSERT_TRUE(precondition.ok());
  EXPECT_EQ(precondition->status, 412);

  // All of the above went over the connection the container PUT opened.
  EXPECT_EQ(client_.connections_opened(), connections_before);
  EXPECT_FALSE(logger_.Contains(access.token.Reveal()));
}

TEST_F(SwiftRoundTripTest, KeystoneV3PasswordThenObjectRoundTrip) {
  const auto auth_url = Env("OS_AUTH_URL");
  const auto user = Env("OS_USERNAME");
  const auto password = Env("OS_PASSWORD");
  const auto project = Env("OS_PROJECT_NAME");
  const auto region = Env("OS_REGION_NAME");
  if (!auth_url || !user || !password || !project || !region) {
    GTEST_SKIP() << "OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME and OS_REGION_NAME "
                    "are not set: run under scripts/test or eval \"$(scripts/local-swift env)\"";
  }
  const nlohmann::json body = {
      {"auth",
       {{"identity",
         {{"methods", {"password"}},
          {"password",
           {{"user",
             {{"name", *user},
              {"domain", {{"name", Env("OS_USER_DOMAIN_NAME").value_or("Default")}}},
              {"password", *password}}}}}}},
        {"scope",
         {{"project",
           {{"name", *project},
            {"domain", {{"name", Env("OS_PROJECT_DOMAIN_NAME").value_or("Default")}}}}}}}}}};
  Request auth = Make(Method::kPost, *auth_url + "/auth/tokens");
  auth.headers.Add("Content-Type", "application/json");
  auth.body = body.dump();
  auto response = client_.Send(auth);
  ASSERT_TRUE(response.ok()) << response.error().ToString();
  ASSERT_EQ(response->status, 201) << "Keystone refused the password authentication";
  ASSERT_TRUE(response->headers.Has("x-subject-token"));
  EXPECT_FALSE(logger_.Contains(*password));

  const auto token = nlohmann::json::parse(response->body, nullptr, false);
  ASSERT_FALSE(token.is_discarded()) << "token response is not JSON";
  std::string storage_url;
  for (const auto& service : token["token"]["catalog"]) {
    if (service.value("type", "") != "object-store") continue;
    for (const auto& endpoint : service["endpoints"]) {
      const std::string endpoint_region =
          endpoint.value("region_id", endpoint.value("region", std::string()));
      if (endpoint.value("interface", "") == "public" && endpoint_region == *region) {
        storage_url = endpoint.value("url", "");
      }
    }
  }
  ASSERT_FALSE(storage_url.empty()) << "no public object-store endpoint for " << *region;
  RunRoundTrip({storage_url, Secret(*response->headers.Get("X-Subject-Token"))});
}

TEST_F(SwiftRoundTripTest, TempauthV1ThenObjectRoundTrip) {
  const auto auth_url = Env("SWIFTFS_TEST_V1_AUTH_URL");
  const auto user = Env("SWIFTFS_TEST_V1_USER");
  const auto key = Env("SWIFTFS_TEST_V1_KEY");
  if (!auth_url || !user || !key) {
    GTEST_SKIP() << "SWIFTFS_TEST_V1_AUTH_URL, SWIFTFS_TEST_V1_USER and SWIFTFS_TEST_V1_KEY "
                    "are not set: run under scripts/test or eval \"$(scripts/local-swift env)\"";
  }
  Request auth = Make(Method::kGet, *auth_url);
  auth.headers.Add("X-Auth-User", *user);
  auth.headers.Add("X-Auth-Key", *key);
  auto response = client_.Send(auth);
  ASSERT_TRUE(response.ok()) << response.error().ToString();
  ASSERT_EQ(response->status, 200) << "tempauth refused the credentials";
  const auto storage_url = response->headers.Get("X-Storage-Url");
  const auto token = response->headers.Get("X-Auth-Token");
  ASSERT_TRUE(storage_url.has_value());
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(logger_.Contains(*key));
  RunRoundTrip({*storage_url, Secret(*token)});
}

}  // namespace
}  // namespace swiftfs::http
