// Reading the configuration sources; see config_sources.h.

#include "auth/config_sources.h"

#include <set>

#include "auth/secret_file.h"

namespace swiftfs::auth {

namespace {

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

// Two spellings of one setting in one source (OS_PROJECT_NAME and OS_TENANT_NAME): either is
// fine, both must agree.
Status PutAlias(ConfigValues& values, const std::string& key, std::string text,
                std::string origin) {
  if (text.empty()) return OkStatus();
  if (auto it = values.find(key); it != values.end()) {
    if (it->second.text != text) {
      return MakeError(ErrorCode::kConfig, it->second.origin + " and " + origin +
                                               " are both set and disagree; set only one");
    }
    return OkStatus();
  }
  values[key] = ConfigValue{std::move(text), std::move(origin)};
  return OkStatus();
}

}  // namespace

void PutValue(ConfigValues& values, const std::string& key, std::string text, std::string origin) {
  if (!text.empty()) values[key] = ConfigValue{std::move(text), std::move(origin)};
}

Result<ConfigValues> ReadEnvironment(const Environment& env) {
  ConfigValues values;
  const auto get = [&env](const char* name) { return env.Get(name).value_or(""); };
  for (const auto& [variable, key] : kEnvironment) PutValue(values, key, get(variable), variable);
  if (Status s = PutAlias(values, "project_name", get("OS_TENANT_NAME"), "OS_TENANT_NAME"); !s) {
    return s.error();
  }
  if (Status s = PutAlias(values, "project_id", get("OS_TENANT_ID"), "OS_TENANT_ID"); !s) {
    return s.error();
  }
  // OS_INTERFACE is the current name; OS_ENDPOINT_TYPE (v2.0 era) only when it is absent.
  PutValue(values, "interface", get("OS_ENDPOINT_TYPE"), "OS_ENDPOINT_TYPE");
  PutValue(values, "interface", get("OS_INTERFACE"), "OS_INTERFACE");
  return values;
}

Result<ConfigValues> ReadMountOptions(const std::map<std::string, std::string>& options,
                                      Logger& logger) {
  ConfigValues values;
  const auto get = [&options](const char* name) {
    auto it = options.find(name);
    return it == options.end() ? std::string() : it->second;
  };
  for (const char* key : kPlainOptions)
    PutValue(values, key, get(key), "-o " + std::string(key) + "=");
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
    PutValue(values, "password", get("password"), "-o password=");
  }
  for (const auto& [option, key] :
       {std::pair{"password_file", "password"},
        std::pair{"application_credential_secret_file", "application_credential_secret"}}) {
    const std::string path = get(option);
    if (path.empty()) continue;
    Result<Secret> secret = ReadSecretFile(path, option);
    if (!secret) return secret.error();
    PutValue(values, key, secret->Reveal(), "-o " + std::string(option) + "=");
  }
  return values;
}

// Lays `higher` over `merged`.
void Overlay(ConfigValues& merged, const ConfigValues& higher) {
  for (const auto& [key, value] : higher) {
    auto displaced = Displaced().find(key);
    if (displaced == Displaced().end()) continue;
    for (const auto& other : displaced->second) {
      if (!higher.count(other)) merged.erase(other);
    }
  }
  for (const auto& [key, value] : higher) merged[key] = value;
}

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

SecretWiper::~SecretWiper() {
  for (ConfigValues* values : watched_) {
    for (const char* key : {"password", "application_credential_secret", "token"}) {
      auto it = values->find(key);
      if (it != values->end()) Secret wipe(std::move(it->second.text));
    }
  }
}

}  // namespace swiftfs::auth
