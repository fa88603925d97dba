#pragma once
// FakeTokenProvider: a TokenProvider with a settable session that counts its calls.
// Invalidate() of the current generation "renews" the token: the next Current() returns
// "<token>-r<n>" with the next generation, as a real provider would after re-authenticating.
// SetError() makes Current() fail until cleared. Thread-safe.

#include <mutex>
#include <optional>
#include <string>

#include "swiftfs/auth/token_provider.h"

namespace swiftfs::testing {

class FakeTokenProvider final : public auth::TokenProvider {
 public:
  explicit FakeTokenProvider(std::string storage_url = "http://swift.test:8080/v1/AUTH_test",
                             std::string token = "fake-token") {
    base_token_ = token;
    session_.token = Secret(std::move(token));
    session_.storage_url = std::move(storage_url);
    session_.generation = 1;
  }

  Result<auth::Session> Current() override {
    std::lock_guard<std::mutex> lock(mu_);
    ++current_calls_;
    if (error_) return *error_;
    return session_;
  }

  void Invalidate(const auth::Session& rejected) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++invalidate_calls_;
    if (!can_renew_ || rejected.generation != session_.generation) return;
    ++session_.generation;
    session_.token = Secret(base_token_ + "-r" + std::to_string(session_.generation - 1));
  }

  bool CanRenew() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return can_renew_;
  }

  void Revoke() override {
    std::lock_guard<std::mutex> lock(mu_);
    ++revoke_calls_;
  }

  Result<auth::SessionDescription> Describe() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_) return *error_;
    auth::SessionDescription d;
    d.auth_version = "fake";
    d.auth_method = "fake";
    d.storage_url = session_.storage_url;
    d.expires_at = session_.expires_at;
    d.token_fingerprint = TokenFingerprint(session_.token);
    return d;
  }

  // Replaces the whole session (token, storage URL, generation, expiry).
  void SetSession(auth::Session session) {
    std::lock_guard<std::mutex> lock(mu_);
    base_token_ = session.token.Reveal();
    session_ = std::move(session);
  }
  void SetError(std::optional<Error> error) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = std::move(error);
  }
  void SetCanRenew(bool can_renew) {
    std::lock_guard<std::mutex> lock(mu_);
    can_renew_ = can_renew;
  }

  auth::Session session() const {
    std::lock_guard<std::mutex> lock(mu_);
    return session_;
  }
  int current_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_calls_;
  }
  int invalidate_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return invalidate_calls_;
  }
  int revoke_calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return revoke_calls_;
  }

 private:
  mutable std::mutex mu_;
  std::string base_token_;  // renewed tokens are base_token_ + "-r<n>"
  auth::Session session_;
  std::optional<Error> error_;
  bool can_renew_ = true;
  int current_calls_ = 0;
  int invalidate_calls_ = 0;
  int revoke_calls_ = 0;
};

}  // namespace swiftfs::testing
