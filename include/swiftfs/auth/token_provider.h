#pragma once
// TokenProvider: hands out the current token and storage URL, authenticating when needed.
// Implementations (Keystone v2.0, v3, Swift v1, pre-authenticated) live in fs/auth; the
// composition root picks one from the AuthConfig (auth_config.h) with MakeTokenProvider().

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "swiftfs/common/result.h"
#include "swiftfs/common/secret.h"

namespace swiftfs::auth {

// One authenticated session: a token and where to use it.
struct Session {
  Secret token;
  std::string storage_url;  // e.g. http://127.0.0.1:8080/v1/AUTH_<project>, no trailing '/'
  // Wall-clock expiry; nullopt when the server gave none (never expires, or unknown).
  std::optional<std::chrono::system_clock::time_point> expires_at;
  // Increases with every new token; lets Invalidate() ignore a stale report.
  uint64_t generation = 0;
};

// What --check-auth prints; never the token itself.
struct SessionDescription {
  std::string auth_version;  // "v2.0", "v3", "v1", "preauth"
  std::string auth_method;   // "password", "application_credential", "token", ...
  std::string user;          // name or id, as known
  std::string project;       // name or id, as known
  std::string region;
  std::string interface;  // public / internal / admin
  std::string storage_url;
  std::optional<std::chrono::system_clock::time_point> expires_at;
  std::string token_fingerprint;
};

class TokenProvider {
 public:
  virtual ~TokenProvider() = default;

  // A token valid now. Authenticates on first use. Thread-safe and single-flight: concurrent
  // callers share one in-flight authentication. While a renewal is pending and the current
  // token is still valid, callers get the current token. After a failed authentication,
  // callers get its error at once until a backoff window has passed.
  // Errors: kUnauthorized/kForbidden (bad credentials), kConfig (no endpoint, ambiguous
  // region), kConnectionFailed/kTimeout/kTlsError, kBadResponse, kTooManyRequests.
  virtual Result<Session> Current() = 0;

  // Swift answered 401 to a request made with `rejected`. Drops the token if it is still
  // the current one (same generation), so the next Current() authenticates again.
  virtual void Invalidate(const Session& rejected) = 0;

  // True if Invalidate() can lead to a new token (false for a pre-authenticated token).
  virtual bool CanRenew() const = 0;

  // Best-effort revocation of the current token (on unmount). Never fails loudly.
  virtual void Revoke() = 0;

  // Describes the current session (authenticating if needed).
  virtual Result<SessionDescription> Describe() = 0;

  // Starts renewing tokens ahead of expiry in a thread of the provider's own, so callers
  // never wait for a renewal while the current token is valid. Call once, after the daemon
  // has forked; without it tokens are obtained only when needed. No-op for fixed tokens.
  virtual void StartBackgroundRenewal() {}
};

}  // namespace swiftfs::auth
