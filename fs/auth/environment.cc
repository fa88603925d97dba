// Environment implementations: the process environment and an injectable map.

#include <cstdlib>

#include "swiftfs/auth/auth_config.h"

namespace swiftfs::auth {

std::optional<std::string> SystemEnvironment::Get(std::string_view name) const {
  // getenv is not thread-safe against setenv; swiftfs reads the environment once, at start-up.
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

ConfigSearchPath DefaultConfigSearchPath(const Environment& env) {
  ConfigSearchPath path;
  path.directories.push_back(".");
  if (auto home = env.Get("HOME"); home && !home->empty()) {
    path.directories.push_back(*home + "/.config/openstack");
  }
  path.directories.push_back("/etc/openstack");
  return path;
}

}  // namespace swiftfs::auth
