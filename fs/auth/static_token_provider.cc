#include "auth/static_token_provider.h"

#include "auth/auth_version.h"

namespace swiftfs::auth {

namespace {

Session MakeSession(Secret token, std::string_view storage_url) {
  Session session;
  session.token = std::move(token);
  session.storage_url = WithoutTrailingSlashes(storage_url);
  session.generation = 1;
  return session;
}

}  // namespace

StaticTokenProvider::StaticTokenProvider(Secret token, std::string_view storage_url, Logger& logger)
    : logger_(logger), session_(MakeSession(std::move(token), storage_url)) {}

Result<Session> StaticTokenProvider::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  if (rejected_) {
    return MakeError(ErrorCode::kUnauthorized, kPreauthenticatedTokenRejected, 401);
  }
  return session_;
}

void StaticTokenProvider::Invalidate(const Session& rejected) {
  std::lock_guard<std::mutex> lock(mu_);
  if (rejected.generation != session_.generation || rejected_) return;
  rejected_ = true;
  logger_.Error("Swift rejected the pre-authenticated token " + TokenFingerprint(session_.token) +
                "; it cannot be renewed without credentials");
}

Result<SessionDescription> StaticTokenProvider::Describe() {
  Result<Session> session = Current();
  if (!session) return session.error();
  SessionDescription d;
  d.auth_version = "preauth";
  d.auth_method = "preauthenticated";
  d.storage_url = session->storage_url;
  d.project = session->storage_url.substr(session->storage_url.rfind('/') + 1);
  d.token_fingerprint = TokenFingerprint(session->token);
  return d;
}

}  // namespace swiftfs::auth
