// MakeTokenProvider: from an AuthConfig to the TokenProvider that serves it.

#include "swiftfs/auth/token_provider_factory.h"

#include "auth/auth_version.h"
#include "auth/identity_client.h"
#include "auth/keystone_discovery.h"
#include "auth/keystone_v2_authenticator.h"
#include "auth/keystone_v3_authenticator.h"
#include "auth/managed_token_provider.h"
#include "auth/static_token_provider.h"
#include "auth/swift_v1_authenticator.h"

namespace swiftfs::auth {

namespace {

Result<std::unique_ptr<Authenticator>> MakeAuthenticator(AuthVersion version,
                                                         const AuthConfig& config,
                                                         std::string base_url,
                                                         IdentityClient identity) {
  switch (version) {
    case AuthVersion::kV3:
      return KeystoneV3Authenticator::Create(config, std::move(base_url), identity);
    case AuthVersion::kV2:
      return KeystoneV2Authenticator::Create(config, std::move(base_url), identity);
    case AuthVersion::kV1:
      if (config.method != AuthMethod::kPassword) {
        return MakeError(ErrorCode::kConfig,
                         "Swift v1 authentication takes a user and key only, not " +
                             std::string(AuthMethodName(config.method)));
      }
      return SwiftV1Authenticator::Create(config, identity);
    case AuthVersion::kUnspecified:
      break;
  }
  return MakeError(ErrorCode::kInternal, "no identity API version to build an authenticator for");
}

}  // namespace

Result<std::unique_ptr<TokenProvider>> MakeTokenProvider(const AuthConfig& config,
                                                         http::HttpClient& http, Clock& clock,
                                                         Logger& logger, Counters& counters) {
  if (config.method == AuthMethod::kPreauthenticated) {
    if (config.token.empty() || config.storage_url.empty()) {
      return MakeError(ErrorCode::kConfig,
                       "a pre-authenticated mount needs both OS_STORAGE_URL and OS_AUTH_TOKEN "
                       "(-o storage_url=)");
    }
    return std::unique_ptr<TokenProvider>(
        new StaticTokenProvider(config.token, config.storage_url, logger));
  }
  if (config.auth_url.empty()) {
    return MakeError(ErrorCode::kConfig,
                     "no auth URL: set OS_AUTH_URL, -o auth_url=, or select a cloud from "
                     "clouds.yaml with OS_CLOUD or -o cloud=");
  }
  Result<AuthVersion> version = ResolveAuthVersion(config);
  if (!version) return version.error();

  const IdentityClient identity(http, clock, logger, counters);
  std::unique_ptr<Authenticator> authenticator;
  if (*version == AuthVersion::kUnspecified) {
    const AuthVersion wanted = config.method == AuthMethod::kApplicationCredential
                                   ? AuthVersion::kV3
                                   : AuthVersion::kUnspecified;
    authenticator = std::make_unique<DiscoveringAuthenticator>(
        WithoutTrailingSlashes(config.auth_url), wanted, identity,
        [config, identity](AuthVersion found, std::string base_url) {
          return MakeAuthenticator(found, config, std::move(base_url), identity);
        });
  } else {
    Result<std::unique_ptr<Authenticator>> made =
        MakeAuthenticator(*version, config, WithoutTrailingSlashes(config.auth_url), identity);
    if (!made) return made.error();
    authenticator = std::move(*made);
  }
  return std::unique_ptr<TokenProvider>(new ManagedTokenProvider(
      std::move(authenticator), clock, logger, WithoutTrailingSlashes(config.storage_url)));
}

}  // namespace swiftfs::auth
