#pragma once
// StaticTokenProvider: a pre-authenticated storage URL + token (OS_STORAGE_URL and
// OS_AUTH_TOKEN). There are no credentials, so nothing can be renewed: once Swift rejects
// the token, every later Current() reports it plainly instead of sending doomed requests.
// The token is the user's; it is not revoked on unmount.

#include <mutex>
#include <string>
#include <string_view>

#include "swiftfs/auth/token_provider.h"
#include "swiftfs/common/log.h"

namespace swiftfs::auth {

// The message for a rejected pre-authenticated token (also AuthenticatedSender's).
inline constexpr const char* kPreauthenticatedTokenRejected =
    "the pre-authenticated token (OS_AUTH_TOKEN) was rejected or has expired; get a new one";

class StaticTokenProvider final : public TokenProvider {
 public:
  StaticTokenProvider(Secret token, std::string_view storage_url, Logger& logger);

  Result<Session> Current() override;
  void Invalidate(const Session& rejected) override;
  bool CanRenew() const override { return false; }
  void Revoke() override {}
  Result<SessionDescription> Describe() override;

 private:
  Logger& logger_;
  const Session session_;
  std::mutex mu_;
  bool rejected_ = false;  // GUARDED_BY(mu_)
};

}  // namespace swiftfs::auth
