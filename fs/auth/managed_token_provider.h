#pragma once
// ManagedTokenProvider: the token lifecycle shared by every renewable method. It wraps one
// Authenticator and owns the single token held in memory.
//
// Renewal. A token is renewed ahead of its expiry, once the time left falls to the margin
// RenewalMargin() gives, by a background thread the provider owns (StartBackgroundRenewal(),
// joined by the destructor). Callers never wait for a renewal while the current token is
// valid: a slow or failing identity service does not stall a user's read. If a renewal fails,
// the current token keeps serving and the thread tries again after the cool-down below (for
// an unavailable service at most RenewalRetryDelay() later), until the token expires. Only
// when the token is gone (expired, invalidated, never obtained) does a caller authenticate,
// and the others wait for it. Without the thread (--check-auth, which does not live that
// long) nothing is renewed ahead of time.
//
// Single flight. At most one authentication is in the air. Callers that need a token when
// there is none wait on a condition variable for the flight in progress and share its result,
// success or error. No lock is held while the authenticator does its HTTP requests.
//
// Invalidation. Invalidate() drops the token only if the rejected session's generation is
// the current one, so a burst of 401s for the same token costs one authentication.
//
// Cool-down. A failed authentication is remembered: until its backoff window has passed,
// callers that need a token get that error at once and the identity service is not asked
// again, however many operations run. A revoked credential or a changed password would
// otherwise cost one token request per operation, and Keystone's lockout then locks the
// account. The window doubles with each consecutive failure (CooldownWindow), with jitter so
// that many mounts do not retry in step; one success resets it. Rejected credentials (401/403)
// and an unreachable or failing service (transport errors, 5xx) both back off; the log line,
// one per attempt, says which.

#include <condition_variable>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>

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

// After a proactive renewal failed because the identity service is unavailable, the longest
// wait before trying again while the current token serves: an eighth of the margin, between
// 1 s and 30 s, so that a short outage near expiry does not cost the token.
WallTime::duration RenewalRetryDelay(WallTime::duration margin);

struct CooldownPolicy {
  std::chrono::milliseconds initial{1000};  // the wait after a first failure
  std::chrono::milliseconds max{300'000};   // the longest wait (5 min)
  // Uniform in [0, 1): where in [window / 2, window] a wait ends. Empty: a seeded PRNG.
  std::function<double()> random;
};

// The longest wait after `failures` (>= 1) consecutive failed authentications: `initial`,
// doubled with each further failure, capped at `max` (1 s, 2 s, 4 s, ... 5 min).
std::chrono::milliseconds CooldownWindow(const CooldownPolicy& policy, int failures);

// What kind of failure `error` is, for log lines: "credentials rejected" (401/403), "request
// refused" (configuration: 400, 404, no endpoint), "unusable response" (malformed, too
// large), else "identity service unavailable".
std::string_view AuthFailureKind(const Error& error);

class ManagedTokenProvider final : public TokenProvider {
 public:
  // `storage_url_override`, when not empty, replaces the catalog's endpoint (OS_STORAGE_URL
  // given with credentials).
  ManagedTokenProvider(std::unique_ptr<Authenticator> authenticator, Clock& clock, Logger& logger,
                       std::string storage_url_override = {}, CooldownPolicy cooldown = {});
  // Stops and joins the renewal thread (waiting for a renewal in flight to end).
  ~ManagedTokenProvider() override;
  ManagedTokenProvider(const ManagedTokenProvider&) = delete;
  ManagedTokenProvider& operator=(const ManagedTokenProvider&) = delete;

  Result<Session> Current() override;
  void Invalidate(const Session& rejected) override;
  bool CanRenew() const override { return true; }
  // Stops background renewal first: revocation is the last thing a mount does.
  void Revoke() override;
  Result<SessionDescription> Describe() override;
  // Starts the renewal thread (after the daemon has forked: fork() keeps one thread).
  void StartBackgroundRenewal() override;

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
  // The renewal thread's body; RenewalDue() says when it next has work (max(): none).
  void RenewalLoop();
  Clock::MonoTime RenewalDue() const REQUIRES(mu_);
  void StopBackgroundRenewal();
  // Remembers a failed flight and sets when the next one may start. Returns the wait.
  std::chrono::milliseconds StartCooldown(const Error& error, bool renewal) REQUIRES(mu_);
  // The remembered failure, for a caller arriving during the cool-down.
  Error CooldownError(Clock::MonoTime now) const REQUIRES(mu_);

  const std::unique_ptr<Authenticator> authenticator_;
  Clock& clock_;
  Logger& logger_;
  const std::string storage_url_override_;
  const CooldownPolicy cooldown_;

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
  int failures_ GUARDED_BY(mu_) = 0;                         // consecutive failed flights
  std::optional<Error> failure_ GUARDED_BY(mu_);             // the last failed flight's error
  std::optional<Clock::MonoTime> retry_at_ GUARDED_BY(mu_);  // no flight before, after a failure
  std::mt19937_64 random_ GUARDED_BY(mu_);  // jitter when cooldown_.random is empty
  std::condition_variable renewal_wake_;    // flight done, token replaced, stop
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread renewer_ GUARDED_BY(mu_);  // joined by the destructor
};

}  // namespace swiftfs::auth
