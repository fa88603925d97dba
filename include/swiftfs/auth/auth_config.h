#pragma once
// AuthConfig: everything needed to obtain a token, and LoadAuthConfig(), which gathers it
// from three sources. Precedence, highest first:
//
//   1. mount options (-o auth_url=...,region=...)
//   2. the environment: an OpenStack RC file's OS_* variables, unchanged
//   3. clouds.yaml (+ secure.yaml), when a cloud is selected with OS_CLOUD or -o cloud=
//
// This is what openstackclient and rclone do: what the user typed explicitly wins. Values are
// merged key by key, except that setting one member of a name/id pair (username/user_id,
// project_name/project_id, user_domain_*, project_domain_*, application_credential_id/name)
// drops the other member from lower sources, and setting auth_url drops a lower source's
// identity API version, so mixing sources never yields a contradictory pair.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/secret.h"

namespace swiftfs::auth {

enum class AuthVersion {
  kUnspecified,  // take it from the auth URL path, or ask the server (version document)
  kV1,           // Swift v1 (tempauth, swauth)
  kV2,           // Keystone v2.0
  kV3,           // Keystone v3
};

enum class AuthMethod {
  kPassword,
  kApplicationCredential,  // Keystone v3 only
  kToken,                  // Keystone v3: trade OS_AUTH_TOKEN for a new scoped token
  kPreauthenticated,       // OS_STORAGE_URL + OS_AUTH_TOKEN used as given, never renewed
};

enum class Interface { kPublic, kInternal, kAdmin };

std::string_view AuthVersionName(AuthVersion version);  // "v1", "v2.0", "v3", "unspecified"
std::string_view AuthMethodName(AuthMethod method);     // "password", "application_credential"...
std::string_view InterfaceName(Interface interface);    // "public", "internal", "admin"

// Accepts "public", "publicURL", "internal", "internalURL", "admin", "adminURL" (any case).
std::optional<Interface> ParseInterface(std::string_view text);

struct AuthConfig {
  std::string auth_url;  // as given; a trailing '/' is ignored
  AuthVersion version = AuthVersion::kUnspecified;
  AuthMethod method = AuthMethod::kPassword;

  std::string username;  // Swift v1: "account:user"
  std::string user_id;
  Secret password;  // Swift v1: the key
  std::string user_domain_name;
  std::string user_domain_id;

  // Keystone v2.0 calls these tenant; OS_TENANT_* and OS_PROJECT_* both land here.
  std::string project_name;
  std::string project_id;
  std::string project_domain_name;
  std::string project_domain_id;

  std::string application_credential_id;
  std::string application_credential_name;
  Secret application_credential_secret;

  Secret token;             // OS_AUTH_TOKEN: for kToken and kPreauthenticated
  std::string storage_url;  // kPreauthenticated; otherwise overrides the catalog endpoint

  std::string region;  // empty: the catalog's only region
  Interface interface = Interface::kPublic;
  std::string cacert;  // PEM bundle for the identity service and Swift (OS_CACERT)

  // Where the values came from, for --check-auth: "options, environment, clouds.yaml cloud x".
  std::string sources;
};

// Read-only access to environment variables, so tests can inject a map.
class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value; nullopt when unset. An empty value is returned as is.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

// The process environment (getenv). Read once at start-up, before threads start.
class SystemEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
};

class MapEnvironment final : public Environment {
 public:
  explicit MapEnvironment(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string> values_;
};

// Directories searched, in order, for clouds.yaml and secure.yaml (the first file of each
// name found is used). OS_CLIENT_CONFIG_FILE, when set, names clouds.yaml directly.
struct ConfigSearchPath {
  std::vector<std::string> directories;
};

// "." then "$HOME/.config/openstack" then "/etc/openstack", as openstacksdk searches.
ConfigSearchPath DefaultConfigSearchPath(const Environment& env);

// True for the mount option names LoadAuthConfig() reads (the cli passes the rest elsewhere):
// auth_url username user_id password password_file project_name project_id tenant_name
// tenant_id user_domain_name user_domain_id project_domain_name project_domain_id region
// interface auth_type auth_version application_credential_id application_credential_name
// application_credential_secret_file storage_url cacert cloud.
bool IsAuthOption(std::string_view name);

// Gathers and checks the configuration. Errors are kConfig with a message that names the
// variable or option to set or fix (missing credentials, a cloud not found, a password file
// readable by others, contradictory versions). Warns (through `logger`) when a password is
// given as a mount option, since it is then visible in `ps`. Never logs a secret.
Result<AuthConfig> LoadAuthConfig(const Environment& env,
                                  const std::map<std::string, std::string>& mount_options,
                                  Logger& logger);
Result<AuthConfig> LoadAuthConfig(const Environment& env,
                                  const std::map<std::string, std::string>& mount_options,
                                  const ConfigSearchPath& search_path, Logger& logger);

}  // namespace swiftfs::auth
