#include "auth/managed_token_provider.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "auth/identity_response.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// "2.5 s" for log lines and messages.
std::string Seconds(milliseconds d) {
  return std::to_string(d.count() / 1000) + "." + std::to_string((d.count() % 1000) / 100) + " s";
}

bool Rejected(const Error& error) {
  return error.code == ErrorCode::kUnauthorized || error.code == ErrorCode::kForbidden;
}

}  // namespace

milliseconds CooldownWindow(const CooldownPolicy& policy, int failures) {
  milliseconds window = policy.initial;
  for (int i = 1; i < failures && window < policy.max; ++i) window *= 2;
  return std::min(window, policy.max);
}

std::string_view AuthFailureKind(const Error& error) {
  if (Rejected(error)) return "credentials rejected";
  if (error.code == ErrorCode::kConfig) return "request refused";
  if (error.code == ErrorCode::kBadResponse || error.code == ErrorCode::kRange) {
    return "unusable response";
  }
  return "identity service unavailable";
}

WallTime::duration RenewalMargin(WallTime::duration lifetime) {
  const WallTime::duration wanted = std::max<WallTime::duration>(lifetime / 10, seconds(60));
  return std::min<WallTime::duration>(wanted, lifetime / 5);
}

WallTime::duration RenewalRetryDelay(WallTime::duration margin) {
  return std::clamp<WallTime::duration>(margin / 8, seconds(1), seconds(30));
}

ManagedTokenProvider::ManagedTokenProvider(std::unique_ptr<Authenticator> authenticator,
                                           Clock& clock, Logger& logger,
                                           std::string storage_url_override,
                                           CooldownPolicy cooldown)
    : authenticator_(std::move(authenticator)),
      clock_(clock),
      logger_(logger),
      storage_url_override_(std::move(storage_url_override)),
      cooldown_(std::move(cooldown)),
      random_(std::random_device{}()) {}

bool ManagedTokenProvider::Valid(const Held& held, WallTime now) const {
  return !held.session.expires_at || now < *held.session.expires_at;
}

ManagedTokenProvider::~ManagedTokenProvider() { StopBackgroundRenewal(); }

void ManagedTokenProvider::StartBackgroundRenewal() {
  MutexLock lock(mu_);
  if (renewer_.joinable() || stopping_) return;
  renewer_ = std::thread([this] { RenewalLoop(); });
}

void ManagedTokenProvider::StopBackgroundRenewal() {
  std::thread renewer;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    renewer = std::move(renewer_);
  }
  renewal_wake_.notify_all();
  if (renewer.joinable()) renewer.join();
}

Clock::MonoTime ManagedTokenProvider::RenewalDue() const {
  const WallTime now = clock_.Now();
  if (!held_ || !held_->renew_at || !Valid(*held_, now)) return Clock::MonoTime::max();
  const Clock::MonoTime mono = clock_.Monotonic();
  Clock::MonoTime due = mono + std::max<WallTime::duration>(*held_->renew_at - now, {});
  if (retry_at_) due = std::max(due, *retry_at_);
  return due;
}

void ManagedTokenProvider::RenewalLoop() {
  // A wall-clock step or a suspend moves the renewal time against the monotonic clock the
  // thread sleeps on; waking at least this often re-reads the wall clock.
  constexpr seconds kLongestSleep(60);
  MutexLock lock(mu_);
  while (!stopping_) {
    const Clock::MonoTime due = RenewalDue();
    const Clock::MonoTime mono = clock_.Monotonic();
    if (due <= mono && !in_flight_) {
      static_cast<void>(Fly());  // the outcome is in held_ or the cool-down
      continue;
    }
    Clock::MonoTime until = due;
    if (due != Clock::MonoTime::max() && !in_flight_) until = std::min(due, mono + kLongestSleep);
    clock_.WaitUntil(lock.Underlying(), renewal_wake_, in_flight_ ? Clock::MonoTime::max() : until);
  }
}

Result<Session> ManagedTokenProvider::Current() {
  MutexLock lock(mu_);
  while (true) {
    if (held_ && Valid(*held_, clock_.Now())) return held_->session;  // renewed elsewhere
    if (!in_flight_) {
      const Clock::MonoTime mono = clock_.Monotonic();
      if (retry_at_ && mono < *retry_at_) return CooldownError(mono);
      return Fly();
    }
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
  renewal_wake_.notify_all();  // a new renewal time, or a new cool-down

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
    failures_ = 0;
    failure_.reset();
    retry_at_.reset();
    return held_->session;
  }

  last_error_ = result.error();
  last_error_flight_ = flight;
  const bool renewal = held_ && Valid(*held_, received) && held_->renew_at;
  const milliseconds wait = StartCooldown(result.error(), renewal);
  const std::string attempt = "attempt " + std::to_string(failures_) + " failed (" +
                              std::string(AuthFailureKind(result.error())) + "), next attempt in " +
                              Seconds(wait) + ": ";
  if (renewal) {
    // A proactive renewal failed: keep the current token and try again a little later.
    logger_.Warning("token renewal " + attempt + result.error().ToString() + "; still using " +
                    TokenFingerprint(held_->session.token) + " until " +
                    FormatIso8601(*held_->session.expires_at));
    return held_->session;
  }
  logger_.Error("authentication " + attempt + result.error().ToString());
  return std::move(result).error();
}

milliseconds ManagedTokenProvider::StartCooldown(const Error& error, bool renewal) {
  ++failures_;
  const milliseconds window = CooldownWindow(cooldown_, failures_);
  const double u = cooldown_.random ? std::clamp(cooldown_.random(), 0.0, 1.0)
                                    : std::uniform_real_distribution<double>(0, 1)(random_);
  milliseconds wait = window - std::chrono::duration_cast<milliseconds>(window * (u / 2));
  if (renewal && !Rejected(error)) {
    // The service is only unavailable and the token still serves: keep retrying often
    // enough that a short outage near expiry does not cost the token.
    const WallTime::duration margin = *held_->session.expires_at - *held_->renew_at;
    wait = std::min(wait, std::chrono::duration_cast<milliseconds>(RenewalRetryDelay(margin)));
  }
  failure_ = error;
  retry_at_ = clock_.Monotonic() + wait;
  return wait;
}

Error ManagedTokenProvider::CooldownError(Clock::MonoTime now) const {
  Error error = *failure_;
  const auto left = std::chrono::ceil<milliseconds>(*retry_at_ - now);
  error.message += " (" + std::string(AuthFailureKind(error)) + "; not asking again for " +
                   Seconds(left) + " after " + std::to_string(failures_) + " failed attempt" +
                   (failures_ == 1 ? "" : "s") + ")";
  return error;
}

Result<AuthResult> ManagedTokenProvider::AuthenticateOnce() {
  try {
    Result<AuthResult> result = authenticator_->Authenticate();
    if (result) {
      // Checked here once for every method: it goes into every Swift request's headers.
      Status usable = CheckIssuedSession(result->session, storage_url_override_.empty());
      if (!usable) return usable.error();
    }
    return result;
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
  StopBackgroundRenewal();  // or it could fetch a token nobody revokes
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
