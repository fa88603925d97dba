// LoadAuthConfig: mount options over the environment over clouds.yaml (see auth_config.h).
//
// Each source is read into ConfigValues (config_sources.h); the sources are merged; then the
// merged values are interpreted in three steps, without I/O: read into an AuthConfig
// (ReadConfig), choose the method and version (ChooseMethod), validate (Validate).

#include "auth/auth_version.h"
#include "auth/ca_file.h"
#include "auth/clouds_yaml.h"
#include "auth/config_sources.h"
#include "auth/keystone_v2_authenticator.h"
#include "auth/keystone_v3_authenticator.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::auth {

namespace {

std::string Text(const ConfigValues& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second.text;
}
// What auth_type asks for.
struct RequestedMethod {
  std::optional<AuthMethod> method;  // nullopt: decide from the credentials present
  AuthVersion version = AuthVersion::kUnspecified;
};
// What ChooseMethod decides.
struct ChosenMethod {
  AuthMethod method = AuthMethod::kPassword;
  AuthVersion version = AuthVersion::kUnspecified;  // kUnspecified: resolved from the URL
};

Result<RequestedMethod> ParseAuthType(const ConfigValue& value) {
  const std::string type = ToLower(value.text);
  if (type == "password") return RequestedMethod{AuthMethod::kPassword, AuthVersion::kUnspecified};
  if (type == "v3password") return RequestedMethod{AuthMethod::kPassword, AuthVersion::kV3};
  if (type == "v2password") return RequestedMethod{AuthMethod::kPassword, AuthVersion::kV2};
  if (type == "v1password") return RequestedMethod{AuthMethod::kPassword, AuthVersion::kV1};
  if (type == "v3applicationcredential" || type == "applicationcredential" ||
      type == "application_credential") {
    return RequestedMethod{AuthMethod::kApplicationCredential, AuthVersion::kV3};
  }
  if (type == "token") return RequestedMethod{AuthMethod::kToken, AuthVersion::kUnspecified};
  if (type == "v3token") return RequestedMethod{AuthMethod::kToken, AuthVersion::kV3};
  if (type == "v2token") return RequestedMethod{AuthMethod::kToken, AuthVersion::kV2};
  return MakeError(ErrorCode::kConfig,
                   value.origin + " '" + value.text +
                       "' is not supported (use password, v3password, v2password, v1password, "
                       "v3applicationcredential, token or v3token)");
}

// Checks that the credentials suit the method and version, without any I/O.
Status CheckCredentials(const AuthConfig& config, AuthVersion version) {
  switch (version) {
    case AuthVersion::kV3: {
      Result<nlohmann::json> body = BuildKeystoneV3AuthRequest(config);
      return body ? OkStatus() : Status(body.error());
    }
    case AuthVersion::kV2: {
      Result<nlohmann::json> body = BuildKeystoneV2AuthRequest(config);
      return body ? OkStatus() : Status(body.error());
    }
    case AuthVersion::kV1:
      if (config.method != AuthMethod::kPassword) {
        return MakeError(ErrorCode::kConfig, "Swift v1 authentication takes a user and key only");
      }
      break;
    case AuthVersion::kUnspecified:
      break;
  }
  if (config.method == AuthMethod::kPassword) {
    if (config.username.empty() && config.user_id.empty()) {
      return MakeError(ErrorCode::kConfig,
                       "no user: set OS_USERNAME or OS_USER_ID (-o username= or -o user_id=)");
    }
    if (config.password.empty()) {
      return MakeError(ErrorCode::kConfig,
                       "no password: set OS_PASSWORD or -o password_file= (mode 0600)");
    }
  }
  if (config.method == AuthMethod::kToken && config.token.empty()) {
    return MakeError(ErrorCode::kConfig, "token authentication needs OS_AUTH_TOKEN");
  }
  return OkStatus();
}

// True when `url` carries user information ("https://user:secret@host/..."). URLs are
// quoted in messages and logs, so credentials inside one would leak there; Keystone and
// Swift never take them from the URL anyway.
bool HasUserInfo(std::string_view url) {
  const size_t scheme_end = url.find("://");
  const size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?#", authority_start);
  return url.substr(authority_start, authority_end == std::string_view::npos
                                         ? std::string_view::npos
                                         : authority_end - authority_start)
             .find('@') != std::string_view::npos;
}

// Read: the merged values as an AuthConfig, method and version not chosen yet. Refuses a
// URL with credentials in it and an unknown interface.
Result<AuthConfig> ReadConfig(const ConfigValues& values) {
  for (const char* key : {"auth_url", "storage_url"}) {
    if (auto it = values.find(key); it != values.end() && HasUserInfo(it->second.text)) {
      // The URL itself is not quoted: it holds the credentials.
      return MakeError(ErrorCode::kConfig, it->second.origin +
                                               " must not contain user:password@; give the "
                                               "credentials in OS_USERNAME and OS_PASSWORD (or "
                                               "password_file=) instead");
    }
  }
  AuthConfig config;
  config.auth_url = Text(values, "auth_url");
  config.username = Text(values, "username");
  config.user_id = Text(values, "user_id");
  config.password = Secret(Text(values, "password"));
  config.user_domain_name = Text(values, "user_domain_name");
  config.user_domain_id = Text(values, "user_domain_id");
  config.project_name = Text(values, "project_name");
  config.project_id = Text(values, "project_id");
  config.project_domain_name = Text(values, "project_domain_name");
  config.project_domain_id = Text(values, "project_domain_id");
  config.application_credential_id = Text(values, "application_credential_id");
  config.application_credential_name = Text(values, "application_credential_name");
  config.application_credential_secret = Secret(Text(values, "application_credential_secret"));
  config.token = Secret(Text(values, "token"));
  config.storage_url = Text(values, "storage_url");
  config.region = Text(values, "region");
  config.cacert = Text(values, "cacert");

  if (auto it = values.find("interface"); it != values.end()) {
    std::optional<Interface> interface = ParseInterface(it->second.text);
    if (!interface) {
      return MakeError(ErrorCode::kConfig, it->second.origin + " '" + it->second.text +
                                               "' is not an interface (use public, internal "
                                               "or admin)");
    }
    config.interface = *interface;
  }
  return config;
}

// Choose: the method and version asked for (auth_type, auth_version, which must agree), or
// else the method the credentials present imply.
Result<ChosenMethod> ChooseMethod(const ConfigValues& values, const AuthConfig& config) {
  RequestedMethod choice;
  if (auto it = values.find("auth_type"); it != values.end()) {
    Result<RequestedMethod> parsed = ParseAuthType(it->second);
    if (!parsed) return parsed.error();
    choice = *parsed;
  }
  if (auto it = values.find("auth_version"); it != values.end()) {
    std::optional<AuthVersion> version = ParseAuthVersion(it->second.text);
    if (!version) {
      return MakeError(ErrorCode::kConfig, it->second.origin + " '" + it->second.text +
                                               "' is not an identity API version (use 3, 2.0 "
                                               "or 1.0)");
    }
    if (choice.version != AuthVersion::kUnspecified && choice.version != *version) {
      return MakeError(ErrorCode::kConfig, it->second.origin + " '" + it->second.text +
                                               "' contradicts " + values.at("auth_type").origin +
                                               " '" + values.at("auth_type").text + "'");
    }
    choice.version = *version;
  }
  ChosenMethod chosen;
  chosen.version = choice.version;
  if (choice.method) {
    chosen.method = *choice.method;
  } else if (!config.token.empty() && !config.storage_url.empty()) {
    chosen.method = AuthMethod::kPreauthenticated;
  } else if (!config.application_credential_id.empty() ||
             !config.application_credential_name.empty() ||
             !config.application_credential_secret.empty()) {
    chosen.method = AuthMethod::kApplicationCredential;
  } else if (!config.token.empty() && config.password.empty()) {
    chosen.method = AuthMethod::kToken;
  } else {
    chosen.method = AuthMethod::kPassword;
  }
  return chosen;
}

// Validate: a configuration that can authenticate as chosen (an auth URL unless
// pre-authenticated, a version the URL allows, the credentials that version and method
// need), without any I/O.
Status Validate(const AuthConfig& config) {
  if (config.method == AuthMethod::kPreauthenticated) return OkStatus();
  if (!config.storage_url.empty() && config.auth_url.empty() && config.token.empty()) {
    return MakeError(ErrorCode::kConfig,
                     "OS_STORAGE_URL is set without OS_AUTH_TOKEN: set both for a "
                     "pre-authenticated mount, or set OS_AUTH_URL and credentials");
  }
  if (config.auth_url.empty()) {
    return MakeError(ErrorCode::kConfig,
                     "no auth URL: set OS_AUTH_URL, -o auth_url=, or select a cloud from "
                     "clouds.yaml with OS_CLOUD or -o cloud=");
  }
  Result<AuthVersion> version = ResolveAuthVersion(config);
  if (!version) return version.error();
  return CheckCredentials(config, *version);
}

// read -> choose method -> validate.
Result<AuthConfig> Interpret(const ConfigValues& values) {
  Result<AuthConfig> config = ReadConfig(values);
  if (!config) return config.error();
  Result<ChosenMethod> chosen = ChooseMethod(values, *config);
  if (!chosen) return chosen.error();
  config->method = chosen->method;
  config->version = chosen->version;
  if (Status valid = Validate(*config); !valid) return valid.error();
  return config;
}

}  // namespace

Result<AuthConfig> LoadAuthConfig(const Environment& env,
                                  const std::map<std::string, std::string>& mount_options,
                                  Logger& logger) {
  return LoadAuthConfig(env, mount_options, DefaultConfigSearchPath(env), logger);
}

Result<AuthConfig> LoadAuthConfig(const Environment& env,
                                  const std::map<std::string, std::string>& mount_options,
                                  const ConfigSearchPath& search_path, Logger& logger) {
  Result<ConfigValues> from_options = ReadMountOptions(mount_options, logger);
  if (!from_options) return from_options.error();
  Result<ConfigValues> from_env = ReadEnvironment(env);
  if (!from_env) return from_env.error();
  ConfigValues merged;
  // Declared after the maps it watches, so it runs before they are destroyed.
  SecretWiper wiper;
  wiper.Watch(*from_options);
  wiper.Watch(*from_env);
  wiper.Watch(merged);
  std::vector<std::string> sources;
  std::string cloud = env.Get("OS_CLOUD").value_or("");
  if (auto it = mount_options.find("cloud"); it != mount_options.end()) cloud = it->second;
  if (!cloud.empty()) {
    Result<CloudSettings> settings =
        LoadCloud(cloud, search_path, env.Get("OS_CLIENT_CONFIG_FILE"));
    if (!settings) return settings.error();
    for (auto& [key, text] : settings->values) {
      PutValue(merged, key, std::move(text), "clouds.yaml (cloud " + cloud + ") " + key);
    }
    sources.push_back("clouds.yaml cloud '" + cloud + "' (" + settings->files + ")");
  }
  if (!from_env->empty()) sources.insert(sources.begin(), "environment");
  if (!from_options->empty()) sources.insert(sources.begin(), "mount options");
  Overlay(merged, *from_env);
  Overlay(merged, *from_options);

  Result<AuthConfig> config = Interpret(merged);
  if (!config) return config.error();
  if (auto it = merged.find("cacert"); it != merged.end()) {
    // Now, before the daemon leaves this directory (ca_file.h).
    Result<std::string> ca_file = ResolveCaFile(config->cacert, it->second.origin);
    if (!ca_file) return ca_file.error();
    config->cacert = std::move(*ca_file);
  }
  for (const auto& source : sources) {
    config->sources += (config->sources.empty() ? "" : ", ") + source;
  }
  logger.Debug("auth configuration from " + config->sources + ": " +
               std::string(AuthMethodName(config->method)) + " at " +
               (config->auth_url.empty() ? config->storage_url : config->auth_url));
  return config;
}

}  // namespace swiftfs::auth
