#include "auth/auth_version.h"

#include "swiftfs/common/strings.h"

namespace swiftfs::auth {

std::string WithoutTrailingSlashes(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

AuthVersion VersionFromUrl(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const std::string path = WithoutTrailingSlashes(url);
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return AuthVersion::kUnspecified;
  const std::string last = ToLower(std::string_view(path).substr(slash + 1));
  if (last == "v3") return AuthVersion::kV3;
  if (last == "v2.0" || last == "v2") return AuthVersion::kV2;
  if (last == "v1.0" || last == "v1") return AuthVersion::kV1;
  return AuthVersion::kUnspecified;
}

std::optional<AuthVersion> ParseAuthVersion(std::string_view text) {
  std::string lower = ToLower(TrimWhitespace(text));
  if (StartsWith(lower, "v")) lower.erase(0, 1);
  const std::string major = lower.substr(0, lower.find('.'));
  if (major == "1") return AuthVersion::kV1;
  if (major == "2") return AuthVersion::kV2;
  if (major == "3") return AuthVersion::kV3;
  return std::nullopt;
}

Result<AuthVersion> ResolveAuthVersion(const AuthConfig& config) {
  const AuthVersion from_url = VersionFromUrl(config.auth_url);
  if (from_url != AuthVersion::kUnspecified && config.version != AuthVersion::kUnspecified &&
      from_url != config.version) {
    return MakeError(ErrorCode::kConfig,
                     "the auth URL " + config.auth_url + " is for identity API " +
                         std::string(AuthVersionName(from_url)) +
                         " but OS_IDENTITY_API_VERSION / OS_AUTH_TYPE (or -o auth_version=, "
                         "-o auth_type=) asks for " +
                         std::string(AuthVersionName(config.version)));
  }
  return from_url != AuthVersion::kUnspecified ? from_url : config.version;
}

}  // namespace swiftfs::auth
