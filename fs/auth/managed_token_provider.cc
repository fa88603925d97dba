#include "auth/managed_token_provider.h"

#include <algorithm>
#include <exception>

#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

using std::chrono::seconds;

WallTime::duration RenewalMargin(WallTime::duration lifetime) {
  const WallTime::duration wanted = std::max<WallTime::duration>(lifetime / 10, seconds(60));
  return std::min<WallTime::duration>(wanted, lifetime / 5);
}

WallTime::duration RenewalRetryDelay(WallTime::duration margin) {
  return std::clamp<WallTime::duration>(margin / 8, seconds(1), seconds(30));
}

ManagedTokenProvider::ManagedTokenProvider(std::unique_ptr<Authenticator> authenticator,
                                           Clock& clock, Logger& logger,
                                           std::string storage_url_override)
    : authenticator_(std::move(authenticator)),
      clock_(clock),
      logger_(logger),
      storage_url_override_(std::move(storage_url_override)) {}

bool ManagedTokenProvider::Valid(const Held& held, WallTime now) const {
  return !held.session.expires_at || now < *held.session.expires_at;
}

Result<Session> ManagedTokenProvider::Current() {
  MutexLock lock(mu_);
  while (true) {
    const WallTime now = clock_.Now();
    if (held_ && Valid(*held_, now)) {
      const bool renewal_due = held_->renew_at && now >= *held_->renew_at &&
                               (!no_renewal_before_ || now >= *no_renewal_before_);
      if (renewal_due && !in_flight_) return Fly();  // this caller renews
      return held_->session;                         // valid; a renewal may be in flight elsewhere
    }
    if (!in_flight_) return Fly();
    // No usable token and a flight in the air: wait for it and share its outcome.
    const uint64_t flight = flights_started_;
    ++waiting_;
    lock.Wait(flight_done_, [&]() REQUIRES(mu_) { return flights_finished_ >= flight; });
    --waiting_;
    if (last_error_ && last_error_flight_ == flight && !(held_ && Valid(*held_, clock_.Now()))) {
      return *last_error_;
    }
  }
}

Result<Session> ManagedTokenProvider::Fly() {
  in_flight_ = true;
  const uint64_t flight = ++flights_started_;
  // The caller's MutexLock is held again by the time it is destroyed; AuthenticateOnce
  // throws nothing, so nothing unwinds through it while mu_ is released.
  mu_.unlock();
  Result<AuthResult> result = AuthenticateOnce();
  const WallTime received = clock_.Now();
  mu_.lock();
  in_flight_ = false;
  flights_finished_ = flight;
  flight_done_.notify_all();

  if (result) {
    Held held;
    held.session = std::move(result->session);
    held.session.generation = next_generation_++;
    if (!storage_url_override_.empty()) held.session.storage_url = storage_url_override_;
    if (result->lifetime) {
      held.session.expires_at = received + *result->lifetime;
      held.renew_at = *held.session.expires_at - RenewalMargin(*result->lifetime);
    }
    held.description = std::move(result->description);
    held.description.storage_url = held.session.storage_url;
    held.description.expires_at = held.session.expires_at;
    held.description.token_fingerprint = TokenFingerprint(held.session.token);
    logger_.Info("authenticated (" + held.description.auth_version + " " +
                 held.description.auth_method + "): token " + held.description.token_fingerprint +
                 (held.session.expires_at ? ", expires " + FormatIso8601(*held.session.expires_at)
                                          : ", no expiry given") +
                 (held.renew_at ? ", renewal from " + FormatIso8601(*held.renew_at) : ""));
    held_ = std::move(held);
    last_error_.reset();
    no_renewal_before_.reset();
    return held_->session;
  }

  last_error_ = result.error();
  last_error_flight_ = flight;
  if (held_ && Valid(*held_, received) && held_->renew_at) {
    // A proactive renewal failed: keep the current token and try again a little later.
    const WallTime::duration margin = *held_->session.expires_at - *held_->renew_at;
    no_renewal_before_ = received + RenewalRetryDelay(margin);
    logger_.Warning("token renewal failed, still using " + TokenFingerprint(held_->session.token) +
                    " until " + FormatIso8601(*held_->session.expires_at) + ": " +
                    result.error().ToString());
    return held_->session;
  }
  logger_.Error("authentication failed: " + result.error().ToString());
  return std::move(result).error();
}

Result<AuthResult> ManagedTokenProvider::AuthenticateOnce() {
  try {
    return authenticator_->Authenticate();
  } catch (const std::exception& e) {
    // Authenticators return errors as values; this is a last line of defence (e.g. a JSON
    // type surprise), and what() of those never carries request data.
    return MakeError(ErrorCode::kBadResponse,
                     std::string("unexpected identity service response: ") + e.what());
  }
}

void ManagedTokenProvider::Invalidate(const Session& rejected) {
  MutexLock lock(mu_);
  if (!held_ || held_->session.generation != rejected.generation) return;  // already replaced
  logger_.Info("token " + TokenFingerprint(held_->session.token) +
               " was rejected; authenticating again");
  held_.reset();
}

void ManagedTokenProvider::Revoke() {
  std::optional<Secret> token;
  {
    MutexLock lock(mu_);
    if (held_) token = std::move(held_->session.token);
    held_.reset();
  }
  if (token) authenticator_->Revoke(*token);  // outside the lock: network I/O
}

size_t ManagedTokenProvider::WaitingCallers() {
  MutexLock lock(mu_);
  return waiting_;
}

Result<SessionDescription> ManagedTokenProvider::Describe() {
  Result<Session> session = Current();
  if (!session) return session.error();
  MutexLock lock(mu_);
  if (!held_) return MakeError(ErrorCode::kUnauthorized, "the token was invalidated meanwhile");
  return held_->description;
}

}  // namespace swiftfs::auth
