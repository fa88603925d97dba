// Names of the AuthConfig enumerations, and interface parsing.

#include "swiftfs/auth/auth_config.h"

#include "swiftfs/common/strings.h"

namespace swiftfs::auth {

std::string_view AuthVersionName(AuthVersion version) {
  switch (version) {
    case AuthVersion::kUnspecified:
      return "unspecified";
    case AuthVersion::kV1:
      return "v1";
    case AuthVersion::kV2:
      return "v2.0";
    case AuthVersion::kV3:
      return "v3";
  }
  return "unspecified";
}

std::string_view AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kPassword:
      return "password";
    case AuthMethod::kApplicationCredential:
      return "application_credential";
    case AuthMethod::kToken:
      return "token";
    case AuthMethod::kPreauthenticated:
      return "preauthenticated";
  }
  return "password";
}

std::string_view InterfaceName(Interface interface) {
  switch (interface) {
    case Interface::kPublic:
      return "public";
    case Interface::kInternal:
      return "internal";
    case Interface::kAdmin:
      return "admin";
  }
  return "public";
}

std::optional<Interface> ParseInterface(std::string_view text) {
  const std::string lower = ToLower(TrimWhitespace(text));
  // Keystone v2.0 and OS_ENDPOINT_TYPE say "publicURL"; v3 and OS_INTERFACE say "public".
  if (lower == "public" || lower == "publicurl") return Interface::kPublic;
  if (lower == "internal" || lower == "internalurl") return Interface::kInternal;
  if (lower == "admin" || lower == "adminurl") return Interface::kAdmin;
  return std::nullopt;
}

}  // namespace swiftfs::auth
