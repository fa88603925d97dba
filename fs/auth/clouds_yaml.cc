#include "auth/clouds_yaml.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace swiftfs::auth {

namespace {

std::optional<std::string> FirstExisting(const ConfigSearchPath& path, const char* name) {
  for (const auto& dir : path.directories) {
    std::error_code ec;
    const std::string candidate = dir + "/" + name;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

Result<YAML::Node> ParseFile(const std::string& file) {
  try {
    return YAML::LoadFile(file);
  } catch (const YAML::Exception& e) {
    // e.msg is yaml-cpp's description of the syntax problem, never the document's content.
    return MakeError(ErrorCode::kConfig, "cannot parse " + file + " (line " +
                                             std::to_string(e.mark.line + 1) + ", column " +
                                             std::to_string(e.mark.column + 1) + "): " + e.msg);
  }
}

// Merges `over` into `base`, maps recursively, anything else replaced.
YAML::Node Merge(const YAML::Node& base, const YAML::Node& over) {
  if (!base.IsMap() || !over.IsMap()) return YAML::Clone(over);
  YAML::Node out = YAML::Clone(base);
  for (const auto& item : over) {
    const std::string key = item.first.as<std::string>();
    out[key] = out[key] ? Merge(out[key], item.second) : YAML::Clone(item.second);
  }
  return out;
}

void Take(const YAML::Node& node, const char* yaml_key, const char* option,
          std::map<std::string, std::string>& values) {
  const YAML::Node value = node[yaml_key];
  if (value && value.IsScalar() && !value.Scalar().empty()) values[option] = value.Scalar();
}

std::map<std::string, std::string> ToValues(const YAML::Node& cloud) {
  std::map<std::string, std::string> values;
  if (const YAML::Node auth = cloud["auth"]; auth && auth.IsMap()) {
    for (const char* key :
         {"auth_url", "username", "user_id", "password", "project_name", "project_id",
          "user_domain_name", "user_domain_id", "project_domain_name", "project_domain_id",
          "application_credential_id", "application_credential_name",
          "application_credential_secret", "token"}) {
      Take(auth, key, key, values);
    }
    if (!values.count("project_name")) Take(auth, "tenant_name", "project_name", values);
    if (!values.count("project_id")) Take(auth, "tenant_id", "project_id", values);
  }
  Take(cloud, "region_name", "region", values);
  if (!values.count("region")) {
    // `regions: [RegionOne]` lists the regions; one entry is as good as region_name.
    if (const YAML::Node regions = cloud["regions"];
        regions && regions.IsSequence() && regions.size() == 1 && regions[0].IsScalar()) {
      values["region"] = regions[0].Scalar();
    }
  }
  Take(cloud, "interface", "interface", values);
  if (!values.count("interface")) Take(cloud, "endpoint_type", "interface", values);
  Take(cloud, "identity_api_version", "auth_version", values);
  Take(cloud, "auth_type", "auth_type", values);
  Take(cloud, "cacert", "cacert", values);
  return values;
}

}  // namespace

Result<CloudSettings> LoadCloud(const std::string& cloud, const ConfigSearchPath& search_path,
                                const std::optional<std::string>& clouds_file) {
  std::optional<std::string> clouds_path = clouds_file;
  if (!clouds_path) clouds_path = FirstExisting(search_path, "clouds.yaml");
  if (!clouds_path) {
    std::string searched;
    for (const auto& dir : search_path.directories) searched += " " + dir;
    return MakeError(ErrorCode::kConfig, "cloud '" + cloud +
                                             "' selected (OS_CLOUD or -o cloud=) but no "
                                             "clouds.yaml found (searched:" +
                                             searched + ")");
  }
  Result<YAML::Node> clouds = ParseFile(*clouds_path);
  if (!clouds) return clouds.error();
  CloudSettings settings;
  settings.files = *clouds_path;

  try {
    // Copy-construct: assigning a missing (invalid) node to an existing one throws.
    const YAML::Node all_clouds = (*clouds)["clouds"];
    YAML::Node entry =
        all_clouds && all_clouds.IsMap() ? YAML::Node(all_clouds[cloud]) : YAML::Node();
    if (!entry || !entry.IsMap()) {
      std::string names;
      if (const YAML::Node all = (*clouds)["clouds"]; all && all.IsMap()) {
        for (const auto& item : all) names += (names.empty() ? "" : ", ") + item.first.Scalar();
      }
      return MakeError(ErrorCode::kConfig,
                       "cloud '" + cloud + "' is not in " + *clouds_path +
                           " (clouds there: " + (names.empty() ? "none" : names) + ")");
    }
    if (std::optional<std::string> secure = FirstExisting(search_path, "secure.yaml")) {
      Result<YAML::Node> secrets = ParseFile(*secure);
      if (!secrets) return secrets.error();
      if (const YAML::Node all = (*secrets)["clouds"]; all && all.IsMap() && all[cloud]) {
        entry = Merge(entry, all[cloud]);
        settings.files += " + " + *secure;
      }
    }
    settings.values = ToValues(entry);
  } catch (const YAML::Exception& e) {
    return MakeError(ErrorCode::kConfig,
                     "unexpected structure in " + settings.files + ": " + e.msg);
  }
  return settings;
}

}  // namespace swiftfs::auth
