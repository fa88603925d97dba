#pragma once
// clouds.yaml and secure.yaml, as openstacksdk reads them: the first clouds.yaml on the
// search path (or OS_CLIENT_CONFIG_FILE) holds `clouds: {<name>: {auth: {...}, region_name,
// interface, identity_api_version, auth_type, cacert}}`; the first secure.yaml, same shape,
// is merged over it (it usually carries just the passwords).

#include <map>
#include <optional>
#include <string>

#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/result.h"

namespace swiftfs::auth {

struct CloudSettings {
  // Values under the mount option names (auth_url, username, password, region, interface,
  // auth_version, auth_type, cacert, ...). tenant_name/tenant_id become project_name/_id.
  std::map<std::string, std::string> values;
  std::string files;  // the file(s) read, for messages: "/x/clouds.yaml + /x/secure.yaml"
};

// Errors: kConfig when no clouds.yaml exists, the cloud is not in it (lists those that are),
// or a file does not parse (file, line and column).
Result<CloudSettings> LoadCloud(const std::string& cloud, const ConfigSearchPath& search_path,
                                const std::optional<std::string>& clouds_file);

}  // namespace swiftfs::auth
