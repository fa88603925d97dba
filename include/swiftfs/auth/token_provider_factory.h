#pragma once
// The composition root's way to a TokenProvider: MakeTokenProvider() picks the method from an
// AuthConfig (auth_config.h). No network I/O happens here; the first Current() authenticates.

#include <memory>
#include <string>

#include "swiftfs/auth/auth_config.h"
#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::auth {

// Builds the provider for `config`: pre-authenticated (fixed token, never renewed), or a
// renewing provider over Keystone v2.0, v3 or Swift v1 (an unversioned Keystone URL is
// resolved through its version document at the first authentication). Every token request
// is counted in Counter::kAuthRequests. `http`, `clock`, `logger` and `counters` must outlive
// the provider. Errors: kConfig when the configuration cannot work (names what to set).
Result<std::unique_ptr<TokenProvider>> MakeTokenProvider(const AuthConfig& config,
                                                         http::HttpClient& http, Clock& clock,
                                                         Logger& logger, Counters& counters);

// Multi-line, human-readable rendering for `swiftfs --check-auth`: auth version and method,
// user, project, region, interface, storage URL, token expiry and fingerprint. Never the token.
std::string FormatSessionDescription(const SessionDescription& description);

}  // namespace swiftfs::auth
