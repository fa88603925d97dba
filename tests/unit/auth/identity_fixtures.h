#pragma once
// Canned identity-service answers for the auth unit tests: Keystone v3 and v2.0 token
// responses with catalogs shaped as the real services shape them, and an AuthConfig per
// method. The FakeClock starts at 2026-01-01T00:00:00Z, so the default expiry is one hour.

#include <nlohmann/json.hpp>

#include "support/fake_http_client.h"
#include "swiftfs/auth/auth_config.h"

namespace swiftfs::testing {

inline constexpr const char* kPassword = "pw-S3cr3t-9f1c";
inline constexpr const char* kAppSecret = "appsecret-77aa21";
inline constexpr const char* kUserToken = "usertoken-5d2b0e";
inline constexpr const char* kV3Url = "http://keystone.test:5000/v3";
inline constexpr const char* kV2Url = "http://keystone.test:5000/v2.0";
inline constexpr const char* kSwiftOne = "http://swift-one.test:8080/v1/AUTH_p1";
inline constexpr const char* kSwiftOneInternal = "http://10.0.0.1:8080/v1/AUTH_p1";
inline constexpr const char* kSwiftOneAdmin = "http://10.0.0.2:8080/v1/AUTH_p1";
inline constexpr const char* kSwiftTwo = "http://swift-two.test:8081/v1/AUTH_p1";

inline nlohmann::json V3Endpoint(const char* interface, const char* region, const char* url) {
  return {{"id", std::string("ep-") + interface + region},
          {"interface", interface},
          {"region", region},
          {"region_id", region},
          {"url", url}};
}

// object-store in RegionOne (public, internal, admin) and RegionTwo (public), plus identity.
inline nlohmann::json V3Catalog() {
  return nlohmann::json::array({{{"type", "identity"},
                                 {"name", "keystone"},
                                 {"endpoints", {V3Endpoint("public", "RegionOne", kV3Url)}}},
                                {{"type", "object-store"},
                                 {"name", "swift"},
                                 {"endpoints",
                                  {V3Endpoint("public", "RegionOne", kSwiftOne),
                                   V3Endpoint("internal", "RegionOne", kSwiftOneInternal),
                                   V3Endpoint("admin", "RegionOne", kSwiftOneAdmin),
                                   V3Endpoint("public", "RegionTwo", kSwiftTwo)}}}});
}

inline nlohmann::json V3TokenBody(nlohmann::json expires_at = "2026-01-01T01:00:00Z",
                                  nlohmann::json catalog = V3Catalog()) {
  nlohmann::json token = {
      {"methods", {"password"}},
      {"user",
       {{"id", "u1"}, {"name", "demo"}, {"domain", {{"id", "default"}, {"name", "Default"}}}}},
      {"project",
       {{"id", "p1"}, {"name", "demo"}, {"domain", {{"id", "default"}, {"name", "Default"}}}}},
      {"audit_ids", {"a1"}}};
  if (!expires_at.is_discarded()) token["expires_at"] = std::move(expires_at);
  if (!catalog.is_discarded()) token["catalog"] = std::move(catalog);
  return {{"token", token}};
}

inline http::Response V3TokenResponse(const std::string& token,
                                      nlohmann::json expires_at = "2026-01-01T01:00:00Z") {
  return Reply(201, V3TokenBody(std::move(expires_at)).dump(),
               {{"X-Subject-Token", token}, {"Content-Type", "application/json"}});
}

// v2.0 serviceCatalog: object-store in RegionOne and RegionTwo with all three URLs.
inline nlohmann::json V2Catalog() {
  return nlohmann::json::array({{{"type", "identity"},
                                 {"name", "keystone"},
                                 {"endpoints", {{{"region", "RegionOne"}, {"publicURL", kV2Url}}}},
                                 {"endpoints_links", nlohmann::json::array()}},
                                {{"type", "object-store"},
                                 {"name", "swift"},
                                 {"endpoints",
                                  {{{"region", "RegionOne"},
                                    {"publicURL", kSwiftOne},
                                    {"internalURL", kSwiftOneInternal},
                                    {"adminURL", kSwiftOneAdmin}},
                                   {{"region", "RegionTwo"},
                                    {"publicURL", kSwiftTwo},
                                    {"internalURL", "http://10.0.1.1:8081/v1/AUTH_p1"},
                                    {"adminURL", "http://10.0.1.2:8081/v1/AUTH_p1"}}}},
                                 {"endpoints_links", nlohmann::json::array()}}});
}

inline nlohmann::json V2TokenBody(const std::string& token,
                                  nlohmann::json expires = "2026-01-01T01:00:00Z",
                                  nlohmann::json catalog = V2Catalog()) {
  nlohmann::json token_object = {
      {"id", token},
      {"issued_at", "2026-01-01T00:00:00.000000"},
      {"tenant", {{"id", "p1"}, {"name", "demo"}, {"enabled", true}, {"description", nullptr}}}};
  if (!expires.is_discarded()) token_object["expires"] = std::move(expires);
  return {
      {"access",
       {{"token", token_object},
        {"serviceCatalog", std::move(catalog)},
        {"user",
         {{"id", "u1"}, {"name", "demo"}, {"username", "demo"}, {"roles", {{{"name", "member"}}}}}},
        {"metadata", {{"is_admin", 0}}}}}};
}

inline http::Response V2TokenResponse(const std::string& token,
                                      nlohmann::json expires = "2026-01-01T01:00:00Z") {
  return Reply(200, V2TokenBody(token, std::move(expires)).dump(),
               {{"Content-Type", "application/json"}});
}

inline auth::AuthConfig V3PasswordConfig() {
  auth::AuthConfig config;
  config.auth_url = kV3Url;
  config.method = auth::AuthMethod::kPassword;
  config.username = "demo";
  config.password = Secret(kPassword);
  config.user_domain_name = "Default";
  config.project_name = "demo";
  config.project_domain_name = "Default";
  config.region = "RegionOne";
  return config;
}

inline auth::AuthConfig V2PasswordConfig() {
  auth::AuthConfig config;
  config.auth_url = kV2Url;
  config.method = auth::AuthMethod::kPassword;
  config.username = "demo";
  config.password = Secret(kPassword);
  config.project_name = "demo";
  config.region = "RegionOne";
  return config;
}

inline nlohmann::json BodyOf(const http::Request& request) {
  return nlohmann::json::parse(request.body, nullptr, false);
}

}  // namespace swiftfs::testing
