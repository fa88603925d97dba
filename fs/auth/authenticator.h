#pragma once
// Authenticator: one authentication exchange with one kind of identity service, and
// nothing else. It keeps no token: caching, renewal ahead of expiry, single flight and
// invalidation belong to ManagedTokenProvider, which wraps one Authenticator. Keeping the
// two apart lets every method share one tested lifecycle.

#include <chrono>
#include <optional>

#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

struct AuthResult {
  Session session;  // token and storage_url set; expires_at and generation are the manager's
  // How long the token stays valid from now; nullopt when the server gave no expiry.
  std::optional<WallTime::duration> lifetime;
  // Who, which project, region, interface; token_fingerprint and expires_at are filled in
  // by the manager.
  SessionDescription description;
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // Performs one authentication (a few HTTP requests at most, with the identity client's
  // bounded retries). Errors as TokenProvider::Current(). Called by one thread at a time.
  virtual Result<AuthResult> Authenticate() = 0;

  // Best-effort revocation of `token` (on unmount). Logs refusals at debug level only.
  // May run while an Authenticate() is in flight on another thread.
  virtual void Revoke(const Secret& token) = 0;
};

}  // namespace swiftfs::auth
