#pragma once
// The three configuration sources (mount options, environment, clouds.yaml) read into one
// shape: values under the mount option names, each remembering where it came from so a
// message can name the variable or option to fix. LoadAuthConfig (config_loader.cc) merges
// them with Overlay() and interprets the result.

#include <map>
#include <string>
#include <vector>

#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"

namespace swiftfs::auth {

struct ConfigValue {
  std::string text;
  std::string origin;  // "OS_REGION_NAME", "-o region=", "clouds.yaml (cloud x) region"
};
using ConfigValues = std::map<std::string, ConfigValue>;

// Sets `key` unless `text` is empty (an empty variable counts as unset).
void PutValue(ConfigValues& values, const std::string& key, std::string text, std::string origin);

// The OS_* variables. kConfig when two spellings of one setting disagree
// (OS_PROJECT_NAME and OS_TENANT_NAME). OS_INTERFACE wins over OS_ENDPOINT_TYPE.
Result<ConfigValues> ReadEnvironment(const Environment& env);

// The auth mount options; reads password_file= and application_credential_secret_file=
// (see secret_file.h) and warns when password= is used. Ignores other options.
Result<ConfigValues> ReadMountOptions(const std::map<std::string, std::string>& options,
                                      Logger& logger);

// Lays `higher` over `merged`: its keys replace, and a key that is one member of a name/id
// pair drops the other member from `merged` (auth_url drops auth_version).
void Overlay(ConfigValues& merged, const ConfigValues& higher);

// Overwrites the secret values of the maps it watches when it is destroyed, so passwords
// do not linger in freed memory. Declare it after the maps it watches.
class SecretWiper {
 public:
  ~SecretWiper();
  void Watch(ConfigValues& values) { watched_.push_back(&values); }

 private:
  std::vector<ConfigValues*> watched_;
};

}  // namespace swiftfs::auth
