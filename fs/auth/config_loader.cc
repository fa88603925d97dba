// LoadAuthConfig: mount options over the environment over clouds.yaml (see auth_config.h).
//
// Each source is first read into Values under the mount option names, remembering where
// each value came from so a message can name the variable to fix; the sources are merged;
// then the merged values are interpreted (method, version, interface) and checked.

#include <set>

#include "auth/auth_version.h"
#include "auth/clouds_yaml.h"
#include "auth/keystone_v2_authenticator.h"
#include "auth/keystone_v3_authenticator.h"
#include "auth/secret_file.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::auth {

namespace {

struct Value {
  std::string text;
  std::string origin;  // "OS_REGION_NAME", "-o region=", "clouds.yaml region"
};
using Values = std::map<std::string, Value>;

constexpr std::pair<const char*, const char*> kEnvironment[] = {
    {"OS_AUTH_URL", "auth_url"},
    {"OS_USERNAME", "username"},
    {"OS_USER_ID", "user_id"},
    {"OS_PASSWORD", "password"},
    {"OS_USER_DOMAIN_NAME", "user_domain_name"},
    {"OS_USER_DOMAIN_ID", "user_domain_id"},
    {"OS_PROJECT_NAME", "project_name"},
    {"OS_PROJECT_ID", "project_id"},
    {"OS_PROJECT_DOMAIN_NAME", "project_domain_name"},
    {"OS_PROJECT_DOMAIN_ID", "project_domain_id"},
    {"OS_REGION_NAME", "region"},
    {"OS_AUTH_TYPE", "auth_type"},
    {"OS_IDENTITY_API_VERSION", "auth_version"},
    {"OS_APPLICATION_CREDENTIAL_ID", "application_credential_id"},
    {"OS_APPLICATION_CREDENTIAL_NAME", "application_credential_name"},
    {"OS_APPLICATION_CREDENTIAL_SECRET", "application_credential_secret"},
    {"OS_AUTH_TOKEN", "token"},
    {"OS_STORAGE_URL", "storage_url"},
    {"OS_CACERT", "cacert"},
};

// Options copied as they are; tenant_*, password*, *_file and cloud are handled apart.
constexpr const char* kPlainOptions[] = {
    "auth_url",
    "username",
    "user_id",
    "project_name",
    "project_id",
    "user_domain_name",
    "user_domain_id",
    "project_domain_name",
    "project_domain_id",
    "region",
    "interface",
    "auth_type",
    "auth_version",
    "application_credential_id",
    "application_credential_name",
    "storage_url",
    "cacert",
};

// Setting the key in a higher source drops these from lower ones (see auth_config.h).
const std::map<std::string, std::vector<std::string>>& Displaced() {
  static const std::map<std::string, std::vector<std::string>> kDisplaced = {
      {"username", {"user_id"}},
      {"user_id", {"username"}},
      {"user_domain_name", {"user_domain_id"}},
      {"user_domain_id", {"user_domain_name"}},
      {"project_name", {"project_id"}},
      {"project_id", {"project_name"}},
      {"project_domain_name", {"project_domain_id"}},
      {"project_domain_id", {"project_domain_name"}},
      {"application_credential_id", {"application_credential_name"}},
      {"application_credential_name", {"application_credential_id"}},
      {"auth_url", {"auth_version"}},
  };
  return kDisplaced;
}

void Put(Values& values, const std::string& key, std::string text, std::string origin) {
  if (!text.empty()) values[key] = Value{std::move(text), std::move(origin)};
}

// Two spellings of one setting in one source (OS_PROJECT_NAME and OS_TENANT_NAME): either is
// fine, both must agree.
Status PutAlias(Values& values, const std::string& key, std::string text, std::string origin) {
  if (text.empty()) return OkStatus();
  if (auto it = values.find(key); it != values.end()) {
    if (it->second.text != text) {
      return MakeError(ErrorCode::kConfig, it->second.origin + " and " + origin +
                                               " are both set and disagree; set only one");
    }
    return OkStatus();
  }
  values[key] = Value{std::move(text), std::move(origin)};
  return OkStatus();
}

Result<Values> FromEnvironment(const Environment& env) {
  Values values;
  const auto get = [&env](const char* name) { return env.Get(name).value_or(""); };
  for (const auto& [variable, key] : kEnvironment) Put(values, key, get(variable), variable);
  if (Status s = PutAlias(values, "project_name", get("OS_TENANT_NAME"), "OS_TENANT_NAME"); !s) {
    return s.error();
  }
  if (Status s = PutAlias(values, "project_id", get("OS_TENANT_ID"), "OS_TENANT_ID"); !s) {
    return s.error();
  }
  // OS_INTERFACE is the current name; OS_ENDPOINT_TYPE (v2.0 era) only when it is absent.
  Put(values, "interface", get("OS_ENDPOINT_TYPE"), "OS_ENDPOINT_TYPE");
  Put(values, "interface", get("OS_INTERFACE"), "OS_INTERFACE");
  return values;
}

Result<Values> FromOptions(const std::map<std::string, std::string>& options, Logger& logger) {
  Values values;
  const auto get = [&options](const char* name) {
    auto it = options.find(name);
    return it == options.end() ? std::string() : it->second;
  };
  for (const char* key : kPlainOptions) Put(values, key, get(key), "-o " + std::string(key) + "=");
  if (Status s = PutAlias(values, "project_name", get("tenant_name"), "-o tenant_name="); !s) {
    return s.error();
  }
  if (Status s = PutAlias(values, "project_id", get("tenant_id"), "-o tenant_id="); !s) {
    return s.error();
  }
  if (!get("password").empty()) {
    if (!get("password_file").empty()) {
      return MakeError(ErrorCode::kConfig, "-o password= and -o password_file= are both set");
    }
    logger.Warning(
        "the password given with -o password= is visible to every local user in "
        "`ps`; prefer -o password_file= (mode 0600) or OS_PASSWORD");
    Put(values, "password", get("password"), "-o password=");
  }
  for (const auto& [option, key] :
       {std::pair{"password_file", "password"},
        std::pair{"application_credential_secret_file", "application_credential_secret"}}) {
    const std::string path = get(option);
    if (path.empty()) continue;
    Result<Secret> secret = ReadSecretFile(path, option);
    if (!secret) return secret.error();
    Put(values, key, secret->Reveal(), "-o " + std::string(option) + "=");
  }
  return values;
}

// Lays `higher` over `merged`.
void Overlay(Values& merged, const Values& higher) {
  for (const auto& [key, value] : higher) {
    auto displaced = Displaced().find(key);
    if (displaced == Displaced().end()) continue;
    for (const auto& other : displaced->second) {
      if (!higher.count(other)) merged.erase(other);
    }
  }
  for (const auto& [key, value] : higher) merged[key] = value;
}

std::string Text(const Values& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? std::string() : it->second.text;
}

struct MethodChoice {
  std::optional<AuthMethod> method;  // nullopt: decide from the credentials present
  AuthVersion version = AuthVersion::kUnspecified;
};

Result<MethodChoice> ParseAuthType(const Value& value) {
  const std::string type = ToLower(value.text);
  if (type == "password") return MethodChoice{AuthMethod::kPassword, AuthVersion::kUnspecified};
  if (type == "v3password") return MethodChoice{AuthMethod::kPassword, AuthVersion::kV3};
  if (type == "v2password") return MethodChoice{AuthMethod::kPassword, AuthVersion::kV2};
  if (type == "v1password") return MethodChoice{AuthMethod::kPassword, AuthVersion::kV1};
  if (type == "v3applicationcredential" || type == "applicationcredential" ||
      type == "application_credential") {
    return MethodChoice{AuthMethod::kApplicationCredential, AuthVersion::kV3};
  }
  if (type == "token") return MethodChoice{AuthMethod::kToken, AuthVersion::kUnspecified};
  if (type == "v3token") return MethodChoice{AuthMethod::kToken, AuthVersion::kV3};
  if (type == "v2token") return MethodChoice{AuthMethod::kToken, AuthVersion::kV2};
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

Result<AuthConfig> Interpret(const Values& values) {
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

  MethodChoice choice;
  if (auto it = values.find("auth_type"); it != values.end()) {
    Result<MethodChoice> parsed = ParseAuthType(it->second);
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
  config.version = choice.version;

  if (choice.method) {
    config.method = *choice.method;
  } else if (!config.token.empty() && !config.storage_url.empty()) {
    config.method = AuthMethod::kPreauthenticated;
  } else if (!config.application_credential_id.empty() ||
             !config.application_credential_name.empty() ||
             !config.application_credential_secret.empty()) {
    config.method = AuthMethod::kApplicationCredential;
  } else if (!config.token.empty() && config.password.empty()) {
    config.method = AuthMethod::kToken;
  } else {
    config.method = AuthMethod::kPassword;
  }

  if (config.method == AuthMethod::kPreauthenticated) return config;
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
  if (Status status = CheckCredentials(config, *version); !status) return status.error();
  return config;
}

// Overwrites the secret values of the Values maps it watches when the loading ends, however
// it ends, so passwords do not linger in freed memory longer than the AuthConfig's Secrets.
class SecretWiper {
 public:
  ~SecretWiper() {
    for (Values* values : watched_) {
      for (const char* key : {"password", "application_credential_secret", "token"}) {
        auto it = values->find(key);
        if (it != values->end()) Secret wipe(std::move(it->second.text));
      }
    }
  }
  void Watch(Values& values) { watched_.push_back(&values); }

 private:
  std::vector<Values*> watched_;
};

}  // namespace

bool IsAuthOption(std::string_view name) {
  static const std::set<std::string, std::less<>> kNames = [] {
    std::set<std::string, std::less<>> names(std::begin(kPlainOptions), std::end(kPlainOptions));
    for (const char* extra : {"tenant_name", "tenant_id", "password", "password_file",
                              "application_credential_secret_file", "cloud"}) {
      names.insert(extra);
    }
    return names;
  }();
  return kNames.count(name) > 0;
}

Result<AuthConfig> LoadAuthConfig(const Environment& env,
                                  const std::map<std::string, std::string>& mount_options,
                                  Logger& logger) {
  return LoadAuthConfig(env, mount_options, DefaultConfigSearchPath(env), logger);
}

Result<AuthConfig> LoadAuthConfig(const Environment& env,
                                  const std::map<std::string, std::string>& mount_options,
                                  const ConfigSearchPath& search_path, Logger& logger) {
  Result<Values> from_options = FromOptions(mount_options, logger);
  if (!from_options) return from_options.error();
  Result<Values> from_env = FromEnvironment(env);
  if (!from_env) return from_env.error();
  Values merged;
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
      Put(merged, key, std::move(text), "clouds.yaml (cloud " + cloud + ") " + key);
    }
    sources.push_back("clouds.yaml cloud '" + cloud + "' (" + settings->files + ")");
  }
  if (!from_env->empty()) sources.insert(sources.begin(), "environment");
  if (!from_options->empty()) sources.insert(sources.begin(), "mount options");
  Overlay(merged, *from_env);
  Overlay(merged, *from_options);

  Result<AuthConfig> config = Interpret(merged);
  if (!config) return config.error();
  for (const auto& source : sources) {
    config->sources += (config->sources.empty() ? "" : ", ") + source;
  }
  logger.Debug("auth configuration from " + config->sources + ": " +
               std::string(AuthMethodName(config->method)) + " at " +
               (config->auth_url.empty() ? config->storage_url : config->auth_url));
  return config;
}

}  // namespace swiftfs::auth
