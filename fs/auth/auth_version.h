#pragma once
// Which identity API to speak: from the auth URL's path when it names one, from an explicit
// OS_IDENTITY_API_VERSION / OS_AUTH_TYPE, or (neither) from the server's version document.

#include <optional>
#include <string_view>

#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/result.h"

namespace swiftfs::auth {

// ".../v2.0" -> kV2, ".../v3" -> kV3, ".../auth/v1.0", ".../v1.0", ".../v1" -> kV1, anything
// else (e.g. "http://keystone:5000") -> kUnspecified. A trailing '/' and a query are ignored.
AuthVersion VersionFromUrl(std::string_view url);

// "1", "1.0", "v1", "2", "2.0", "v2.0", "3", "v3", "3.14" (any case); nullopt otherwise.
std::optional<AuthVersion> ParseAuthVersion(std::string_view text);

// The version `config` asks for: the URL's when it names one, else config.version.
// kConfig when the two disagree. kUnspecified means: discover.
Result<AuthVersion> ResolveAuthVersion(const AuthConfig& config);

// The URL without trailing '/' characters.
std::string WithoutTrailingSlashes(std::string_view url);

}  // namespace swiftfs::auth
