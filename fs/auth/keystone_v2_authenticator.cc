#include "auth/keystone_v2_authenticator.h"

#include "auth/catalog.h"
#include "auth/identity_response.h"

namespace swiftfs::auth {

namespace {

using nlohmann::json;

Error Missing(std::string what) { return MakeError(ErrorCode::kConfig, std::move(what)); }

std::vector<CatalogEndpoint> FlattenCatalog(const json& catalog) {
  static constexpr std::pair<const char*, Interface> kUrlFields[] = {
      {"publicURL", Interface::kPublic},
      {"internalURL", Interface::kInternal},
      {"adminURL", Interface::kAdmin},
  };
  std::vector<CatalogEndpoint> out;
  if (!catalog.is_array()) return out;
  for (const json& service : catalog) {
    const std::string type = OptionalString(service, "type");
    auto endpoints = service.is_object() ? service.find("endpoints") : service.end();
    if (!service.is_object() || endpoints == service.end() || !endpoints->is_array()) {
      out.push_back(CatalogEndpoint{type, "", Interface::kPublic, ""});  // lists the service
      continue;
    }
    for (const json& endpoint : *endpoints) {
      const std::string region = OptionalString(endpoint, "region");
      for (const auto& [field, interface] : kUrlFields) {
        std::string url = OptionalString(endpoint, field);
        if (!url.empty()) out.push_back(CatalogEndpoint{type, region, interface, std::move(url)});
      }
    }
  }
  return out;
}

}  // namespace

Result<json> BuildKeystoneV2AuthRequest(const AuthConfig& config) {
  json auth = json::object();
  switch (config.method) {
    case AuthMethod::kPassword: {
      json credentials;
      if (!config.user_id.empty()) {
        credentials["userId"] = config.user_id;
      } else if (!config.username.empty()) {
        credentials["username"] = config.username;
      } else {
        return Missing(
            "Keystone v2.0 password authentication needs a user: set OS_USERNAME "
            "or OS_USER_ID (-o username= or -o user_id=)");
      }
      if (config.password.empty()) {
        return Missing(
            "password authentication needs a password: set OS_PASSWORD or "
            "-o password_file=");
      }
      credentials["password"] = config.password.Reveal();
      auth["passwordCredentials"] = std::move(credentials);
      break;
    }
    case AuthMethod::kToken:
      if (config.token.empty()) {
        return Missing("token authentication needs a token: set OS_AUTH_TOKEN");
      }
      auth["token"] = json{{"id", config.token.Reveal()}};
      break;
    case AuthMethod::kApplicationCredential:
      return Missing("application credentials need Keystone v3; use a /v3 OS_AUTH_URL");
    case AuthMethod::kPreauthenticated:
      return MakeError(ErrorCode::kInternal, "Keystone v2.0 cannot use a pre-authenticated token");
  }
  // One tenant field only: v2.0 answers 400 when both are present. The id is exact.
  if (!config.project_id.empty()) {
    auth["tenantId"] = config.project_id;
  } else if (!config.project_name.empty()) {
    auth["tenantName"] = config.project_name;
  }
  return json{{"auth", std::move(auth)}};
}

Result<std::unique_ptr<Authenticator>> KeystoneV2Authenticator::Create(const AuthConfig& config,
                                                                       std::string base_url,
                                                                       IdentityClient identity) {
  Result<json> body = BuildKeystoneV2AuthRequest(config);
  if (!body) return body.error();
  return std::unique_ptr<Authenticator>(
      new KeystoneV2Authenticator(config, std::move(base_url), identity));
}

Result<AuthResult> KeystoneV2Authenticator::Authenticate() {
  Result<json> body = BuildKeystoneV2AuthRequest(config_);
  if (!body) return body.error();
  const IdentityContext context{base_url_ + "/tokens",
                                config_.username.empty() ? config_.user_id : config_.username,
                                {&config_.password, &config_.token}};
  Result<http::Response> response = PostTokenRequest(identity_, body->dump(), context);
  if (!response) return response.error();
  return ParseResponse(*response);
}

Result<AuthResult> KeystoneV2Authenticator::ParseResponse(const http::Response& response) const {
  Result<json> body = ParseJsonBody(response, "the Keystone v2.0 token response");
  if (!body) return body.error();
  const json* access = ObjectMember(*body, "access");
  if (access == nullptr) {
    return MakeError(ErrorCode::kBadResponse, "the identity service's response lacks access");
  }
  const json* token = ObjectMember(*access, "token");
  if (token == nullptr) {
    return MakeError(ErrorCode::kBadResponse, "the identity service's response lacks access.token");
  }
  Result<std::string> id = RequiredString(*token, "id", "access.token.id");
  if (!id) return id.error();

  AuthResult result;
  result.session.token = Secret(std::move(*id));
  Result<std::optional<WallTime>> expires = OptionalTime(*token, "expires", "access.token.expires");
  if (!expires) return expires.error();
  Result<std::optional<WallTime>> issued =
      OptionalTime(*token, "issued_at", "access.token.issued_at");
  if (!issued) return issued.error();
  Result<std::optional<WallTime::duration>> lifetime =
      TokenLifetime(*expires, *issued, identity_.clock().Now());
  if (!lifetime) return lifetime.error();
  result.lifetime = *lifetime;

  auto catalog = access->find("serviceCatalog");
  if (catalog == access->end() || !catalog->is_array() || catalog->empty()) {
    return MakeError(ErrorCode::kConfig,
                     "the token has an empty service catalog (access.serviceCatalog): it is not "
                     "scoped to a tenant; set OS_TENANT_NAME or OS_TENANT_ID");
  }
  Result<EndpointChoice> endpoint =
      SelectObjectStoreEndpoint(FlattenCatalog(*catalog), config_.region, config_.interface);
  if (!endpoint) return endpoint.error();
  result.session.storage_url = endpoint->url;

  SessionDescription& d = result.description;
  d.auth_version = "v2.0";
  d.auth_method = std::string(AuthMethodName(config_.method));
  if (const json* user = ObjectMember(*access, "user")) {
    d.user = OptionalString(*user, "name");
    if (d.user.empty()) d.user = OptionalString(*user, "username");
    if (d.user.empty()) d.user = OptionalString(*user, "id");
  }
  if (const json* tenant = ObjectMember(*token, "tenant")) {
    d.project = OptionalString(*tenant, "name");
    if (d.project.empty()) d.project = OptionalString(*tenant, "id");
  }
  d.region = endpoint->region;
  d.interface = std::string(InterfaceName(config_.interface));
  d.storage_url = endpoint->url;
  return result;
}

void KeystoneV2Authenticator::Revoke(const Secret& token) {
  // v2.0 puts the token in the URL path: log_url keeps it out of the HTTP layer's log
  // lines and error messages.
  http::Request request;
  request.method = http::Method::kDelete;
  request.url = base_url_ + "/tokens/" + http::PercentEncode(token.Reveal(), false);
  request.log_url = http::UrlForLog(base_url_) + "/tokens/<" + TokenFingerprint(token) + ">";
  request.headers.Set("X-Auth-Token", token.Reveal());
  // A refusal (401/403: v2.0 clouds usually reserve revocation to admins) is no warning.
  auto response = identity_.SendOnce(request, "DELETE " + base_url_ + "/tokens/<token>");
  if (response.ok()) {
    identity_.logger().Debug("Keystone v2.0 revocation of " + TokenFingerprint(token) +
                             " answered HTTP " + std::to_string(response->status));
  }
}

}  // namespace swiftfs::auth
