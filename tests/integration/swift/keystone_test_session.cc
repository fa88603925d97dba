#include "keystone_test_session.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace swiftfs::testing {

namespace {

std::string Env(const char* name, std::string fallback = {}) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

}  // namespace

std::optional<KeystoneTestConfig> KeystoneTestConfig::FromEnvironment() {
  KeystoneTestConfig c;
  c.auth_url = Env("OS_AUTH_URL");
  if (c.auth_url.empty()) return std::nullopt;
  while (!c.auth_url.empty() && c.auth_url.back() == '/') c.auth_url.pop_back();
  c.username = Env("OS_USERNAME");
  c.password = Env("OS_PASSWORD");
  c.project_name = Env("OS_PROJECT_NAME");
  c.user_domain = Env("OS_USER_DOMAIN_NAME", "Default");
  c.project_domain = Env("OS_PROJECT_DOMAIN_NAME", "Default");
  c.region = Env("OS_REGION_NAME");
  c.interface = Env("OS_INTERFACE", "public");
  return c;
}

Result<auth::Session> KeystoneTestSession::Authenticate() {
  using nlohmann::json;
  const json body = {
      {"auth",
       {{"identity",
         {{"methods", {"password"}},
          {"password",
           {{"user",
             {{"name", config_.username},
              {"domain", {{"name", config_.user_domain}}},
              {"password", config_.password}}}}}}},
        {"scope",
         {{"project",
           {{"name", config_.project_name}, {"domain", {{"name", config_.project_domain}}}}}}}}}};
  http::Request request;
  request.method = http::Method::kPost;
  request.url = config_.auth_url + "/auth/tokens";
  request.headers.Set("Content-Type", "application/json");
  request.body = body.dump();
  request.timeout = std::chrono::seconds(30);
  auto response = http_.Send(request);
  if (!response) return std::move(response).error();
  if (response->status != 201) {
    return MakeError(ErrorCode::kUnauthorized,
                     "Keystone answered " + std::to_string(response->status), response->status);
  }
  const auto token = response->headers.Get("X-Subject-Token");
  const json doc = json::parse(response->body, nullptr, false);
  if (!token || doc.is_discarded()) {
    return MakeError(ErrorCode::kBadResponse, "Keystone reply without a token or catalog");
  }
  try {
    for (const json& service : doc.at("token").at("catalog")) {
      if (service.value("type", "") != "object-store") continue;
      for (const json& endpoint : service.at("endpoints")) {
        if (endpoint.value("interface", "") != config_.interface) continue;
        if (!config_.region.empty() && endpoint.value("region_id", "") != config_.region &&
            endpoint.value("region", "") != config_.region) {
          continue;
        }
        auth::Session session;
        session.token = Secret(*token);
        session.storage_url = endpoint.at("url").get<std::string>();
        while (!session.storage_url.empty() && session.storage_url.back() == '/') {
          session.storage_url.pop_back();
        }
        return session;
      }
    }
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kBadResponse, std::string("Keystone catalog: ") + e.what());
  }
  return MakeError(ErrorCode::kConfig, "no object-store endpoint for region " + config_.region);
}

Result<auth::Session> KeystoneTestSession::Current() {
  std::lock_guard<std::mutex> lock(mu_);  // tests are single-threaded; simplicity wins
  if (!session_) {
    auto fresh = Authenticate();
    if (!fresh) return fresh;
    fresh->generation = ++generation_;
    session_ = std::move(*fresh);
  }
  return *session_;
}

void KeystoneTestSession::Invalidate(const auth::Session& rejected) {
  std::lock_guard<std::mutex> lock(mu_);
  if (session_ && session_->generation == rejected.generation) session_.reset();
}

Result<auth::SessionDescription> KeystoneTestSession::Describe() {
  auto session = Current();
  if (!session) return std::move(session).error();
  auth::SessionDescription d;
  d.auth_version = "v3";
  d.auth_method = "password";
  d.storage_url = session->storage_url;
  d.token_fingerprint = TokenFingerprint(session->token);
  return d;
}

}  // namespace swiftfs::testing
