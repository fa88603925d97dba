#pragma once
// ManagedTokenProvider: the token lifecycle shared by every renewable method. It wraps one
// Authenticator and owns the single token held in memory.
//
// Renewal. A token is renewed ahead of its expiry, once the time left falls to the margin
// RenewalMargin() gives. The first caller to notice becomes the renewer; every other caller
// keeps getting the current, still valid token meanwhile, so nobody blocks on a renewal. If
// a proactive renewal fails, the current token stays in use and the next attempt waits
// RenewalRetryDelay(); only when the token is gone (expired, invalidated, never obtained) do
// callers wait.
//
// Single flight. At most one authentication is in the air. Callers that need a token when
// there is none wait on a condition variable for the flight in progress and share its result,
// success or error. No lock is held while the authenticator does its HTTP requests.
//
// Invalidation. Invalidate() drops the token only if the rejected session's generation is
// the current one, so a burst of 401s for the same token costs one authentication.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "auth/authenticator.h"
#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

// How long before expiry to renew a token of `lifetime`: 10 % of it, at least 60 s, but never
// more than a fifth of it, so short tokens still get used (24 h -> 2.4 h, 1 h -> 6 min,
// 10 min -> 60 s, 200 s -> 40 s, 8 s -> 1.6 s).
WallTime::duration RenewalMargin(WallTime::duration lifetime);

// After a failed proactive renewal, how long to keep using the current token before trying
// again: an eighth of the margin, between 1 s and 30 s.
WallTime::duration RenewalRetryDelay(WallTime::duration margin);

class ManagedTokenProvider final : public TokenProvider {
 public:
  // `storage_url_override`, when not empty, replaces the catalog's endpoint (OS_STORAGE_URL
  // given with credentials).
  ManagedTokenProvider(std::unique_ptr<Authenticator> authenticator, Clock& clock, Logger& logger,
                       std::string storage_url_override = {});

  Result<Session> Current() override;
  void Invalidate(const Session& rejected) override;
  bool CanRenew() const override { return true; }
  void Revoke() override;
  Result<SessionDescription> Describe() override;

  // Callers currently waiting for an authentication flight (for tests and diagnostics).
  size_t WaitingCallers();

 private:
  struct Held {
    Session session;
    SessionDescription description;
    std::optional<WallTime> renew_at;  // nullopt: never (no expiry)
  };

  bool Valid(const Held& held, WallTime now) const;
  // Runs one authentication flight with mu_ released during it; mu_ is held again on
  // return. Returns the new session, or (for a failed proactive renewal) the current one.
  Result<Session> Fly() REQUIRES(mu_);
  // Calls the authenticator, turning a stray exception into an error: the in-flight flag
  // must be cleared whatever happens, or every later caller would wait forever.
  Result<AuthResult> AuthenticateOnce();

  const std::unique_ptr<Authenticator> authenticator_;
  Clock& clock_;
  Logger& logger_;
  const std::string storage_url_override_;

  Mutex mu_;
  std::condition_variable flight_done_;
  std::optional<Held> held_ GUARDED_BY(mu_);
  bool in_flight_ GUARDED_BY(mu_) = false;
  size_t waiting_ GUARDED_BY(mu_) = 0;
  uint64_t flights_started_ GUARDED_BY(mu_) = 0;
  uint64_t flights_finished_ GUARDED_BY(mu_) = 0;
  std::optional<Error> last_error_ GUARDED_BY(mu_);  // the error of flight last_error_flight_
  uint64_t last_error_flight_ GUARDED_BY(mu_) = 0;
  uint64_t next_generation_ GUARDED_BY(mu_) = 1;
  std::optional<WallTime> no_renewal_before_ GUARDED_BY(mu_);  // after a failed renewal
};

}  // namespace swiftfs::auth
