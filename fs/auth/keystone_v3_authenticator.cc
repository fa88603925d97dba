#include "auth/keystone_v3_authenticator.h"

#include "auth/catalog.h"
#include "auth/identity_response.h"

namespace swiftfs::auth {

namespace {

using nlohmann::json;

Error Missing(std::string what) { return MakeError(ErrorCode::kConfig, std::move(what)); }

// {"id": ...} or {"name": ...} for a domain; null when neither is configured.
json Domain(const std::string& name, const std::string& id) {
  if (!id.empty()) return json{{"id", id}};
  if (!name.empty()) return json{{"name", name}};
  return nullptr;
}

// The user object of the password and application_credential methods.
Result<json> User(const AuthConfig& config, std::string_view method) {
  if (!config.user_id.empty()) return json{{"id", config.user_id}};
  if (config.username.empty()) {
    return Missing("Keystone v3 " + std::string(method) +
                   " authentication needs a user: set OS_USERNAME or OS_USER_ID "
                   "(-o username= or -o user_id=)");
  }
  json domain = Domain(config.user_domain_name, config.user_domain_id);
  if (domain.is_null()) {
    return Missing(
        "a Keystone v3 user name needs its domain: set OS_USER_DOMAIN_NAME or "
        "OS_USER_DOMAIN_ID (-o user_domain_name= or -o user_domain_id=)");
  }
  return json{{"name", config.username}, {"domain", std::move(domain)}};
}

// The scope member; null when no project is configured (Keystone then uses the user's
// default project, if any).
Result<json> Scope(const AuthConfig& config) {
  if (!config.project_id.empty()) return json{{"project", {{"id", config.project_id}}}};
  if (config.project_name.empty()) return json(nullptr);
  // A project name is unique only within its domain; default to the user's domain, as
  // most RC files put user and project in the same one.
  json domain = Domain(config.project_domain_name, config.project_domain_id);
  if (domain.is_null()) domain = Domain(config.user_domain_name, config.user_domain_id);
  if (domain.is_null()) {
    return Missing(
        "a Keystone v3 project name needs its domain: set OS_PROJECT_DOMAIN_NAME "
        "or OS_PROJECT_DOMAIN_ID (-o project_domain_name= or -o project_domain_id=)");
  }
  return json{{"project", {{"name", config.project_name}, {"domain", std::move(domain)}}}};
}

Result<json> Identity(const AuthConfig& config) {
  switch (config.method) {
    case AuthMethod::kPassword: {
      Result<json> user = User(config, "password");
      if (!user) return user.error();
      if (config.password.empty()) {
        return Missing(
            "password authentication needs a password: set OS_PASSWORD or "
            "-o password_file=");
      }
      (*user)["password"] = config.password.Reveal();
      return json{{"methods", {"password"}}, {"password", {{"user", std::move(*user)}}}};
    }
    case AuthMethod::kApplicationCredential: {
      if (config.application_credential_secret.empty()) {
        return Missing(
            "application credential authentication needs its secret: set "
            "OS_APPLICATION_CREDENTIAL_SECRET or -o application_credential_secret_file=");
      }
      json credential;
      if (!config.application_credential_id.empty()) {
        credential["id"] = config.application_credential_id;
      } else if (!config.application_credential_name.empty()) {
        // A name is unique only per user, so the user must be named too.
        Result<json> user = User(config, "application credential (by name)");
        if (!user) return user.error();
        credential["name"] = config.application_credential_name;
        credential["user"] = std::move(*user);
      } else {
        return Missing(
            "application credential authentication needs "
            "OS_APPLICATION_CREDENTIAL_ID or OS_APPLICATION_CREDENTIAL_NAME");
      }
      credential["secret"] = config.application_credential_secret.Reveal();
      return json{{"methods", {"application_credential"}},
                  {"application_credential", std::move(credential)}};
    }
    case AuthMethod::kToken:
      if (config.token.empty()) {
        return Missing("token authentication needs a token: set OS_AUTH_TOKEN");
      }
      return json{{"methods", {"token"}}, {"token", {{"id", config.token.Reveal()}}}};
    case AuthMethod::kPreauthenticated:
      break;
  }
  return MakeError(ErrorCode::kInternal, "Keystone v3 cannot use a pre-authenticated token");
}

std::vector<CatalogEndpoint> FlattenCatalog(const json& catalog) {
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
      std::optional<Interface> interface = ParseInterface(OptionalString(endpoint, "interface"));
      if (!interface) continue;
      // region_id is the current field; region is its deprecated twin, still sent.
      std::string region = OptionalString(endpoint, "region_id");
      if (region.empty()) region = OptionalString(endpoint, "region");
      out.push_back(CatalogEndpoint{type, region, *interface, OptionalString(endpoint, "url")});
    }
  }
  return out;
}

// "demo (domain Default)" from {"name": "demo", "domain": {"name": "Default"}}.
std::string NameInDomain(const json* object) {
  if (object == nullptr) return {};
  std::string name = OptionalString(*object, "name");
  if (name.empty()) name = OptionalString(*object, "id");
  if (const json* domain = ObjectMember(*object, "domain")) {
    const std::string domain_name = OptionalString(*domain, "name");
    if (!domain_name.empty()) name += " (domain " + domain_name + ")";
  }
  return name;
}

}  // namespace

Result<json> BuildKeystoneV3AuthRequest(const AuthConfig& config) {
  Result<json> identity = Identity(config);
  if (!identity) return identity.error();
  json auth{{"identity", std::move(*identity)}};
  // An application credential is bound to its project; Keystone refuses a scope with it.
  if (config.method != AuthMethod::kApplicationCredential) {
    Result<json> scope = Scope(config);
    if (!scope) return scope.error();
    if (!scope->is_null()) auth["scope"] = std::move(*scope);
  }
  return json{{"auth", std::move(auth)}};
}

Result<std::unique_ptr<Authenticator>> KeystoneV3Authenticator::Create(const AuthConfig& config,
                                                                       std::string base_url,
                                                                       IdentityClient identity) {
  Result<json> body = BuildKeystoneV3AuthRequest(config);
  if (!body) return body.error();
  return std::unique_ptr<Authenticator>(
      new KeystoneV3Authenticator(config, std::move(base_url), identity));
}

Result<AuthResult> KeystoneV3Authenticator::Authenticate() {
  Result<json> body = BuildKeystoneV3AuthRequest(config_);
  if (!body) return body.error();
  const IdentityContext context{
      base_url_ + "/auth/tokens",
      config_.username.empty() ? config_.user_id : config_.username,
      {&config_.password, &config_.application_credential_secret, &config_.token}};
  Result<http::Response> response = PostTokenRequest(identity_, body->dump(), context);
  if (!response) return response.error();
  return ParseResponse(*response);
}

Result<AuthResult> KeystoneV3Authenticator::ParseResponse(const http::Response& response) const {
  AuthResult result;
  std::optional<std::string> token = response.headers.Get("X-Subject-Token");
  if (!token || token->empty()) {
    return MakeError(ErrorCode::kBadResponse,
                     "the identity service's response lacks the X-Subject-Token header",
                     response.status);
  }
  result.session.token = Secret(std::move(*token));

  Result<json> body = ParseJsonBody(response, "the Keystone v3 token response");
  if (!body) return body.error();
  const json* token_object = ObjectMember(*body, "token");
  if (token_object == nullptr) {
    return MakeError(ErrorCode::kBadResponse, "the identity service's response lacks token");
  }
  Result<std::optional<WallTime>> expires =
      OptionalTime(*token_object, "expires_at", "token.expires_at");
  if (!expires) return expires.error();
  Result<std::optional<WallTime>> issued =
      OptionalTime(*token_object, "issued_at", "token.issued_at");
  if (!issued) return issued.error();
  Result<std::optional<WallTime::duration>> lifetime =
      TokenLifetime(*expires, *issued, identity_.clock().Now());
  if (!lifetime) return lifetime.error();
  result.lifetime = *lifetime;

  auto catalog = token_object->find("catalog");
  if (catalog == token_object->end() || !catalog->is_array()) {
    return MakeError(ErrorCode::kConfig,
                     "the token has no service catalog (token.catalog): it is not scoped to a "
                     "project; set OS_PROJECT_NAME or OS_PROJECT_ID");
  }
  Result<EndpointChoice> endpoint =
      SelectObjectStoreEndpoint(FlattenCatalog(*catalog), config_.region, config_.interface);
  if (!endpoint) return endpoint.error();
  result.session.storage_url = endpoint->url;

  SessionDescription& d = result.description;
  d.auth_version = "v3";
  d.auth_method = std::string(AuthMethodName(config_.method));
  d.user = NameInDomain(ObjectMember(*token_object, "user"));
  d.project = NameInDomain(ObjectMember(*token_object, "project"));
  d.region = endpoint->region;
  d.interface = std::string(InterfaceName(config_.interface));
  d.storage_url = endpoint->url;
  return result;
}

void KeystoneV3Authenticator::Revoke(const Secret& token) {
  http::Request request;
  request.method = http::Method::kDelete;
  request.url = base_url_ + "/auth/tokens";
  request.headers.Set("X-Auth-Token", token.Reveal());
  request.headers.Set("X-Subject-Token", token.Reveal());
  Result<http::Response> response = identity_.SendOnce(request, "DELETE " + request.url);
  Logger& log = identity_.logger();
  if (!response) {
    log.Debug("revoking token " + TokenFingerprint(token) +
              " failed: " + std::string(ErrorCodeName(response.error().code)));
  } else if (response->status >= 200 && response->status <= 299) {
    log.Debug("revoked token " + TokenFingerprint(token));
  } else {
    log.Debug("the identity service did not revoke token " + TokenFingerprint(token) + " (HTTP " +
              std::to_string(response->status) + ")");
  }
}

}  // namespace swiftfs::auth
