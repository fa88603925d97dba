#pragma once
// Keystone version discovery, for an auth URL that names no version
// ("http://keystone:5000"): GET it, read the version document
// ({"versions": {"values": [{"id": "v3.14", "links": [{"rel": "self", "href": ...}]}]}}) and
// pick the version asked for, or v3 over v2.0 when none was. DiscoveringAuthenticator does
// this on its first authentication (never at construction: no I/O before the first use)
// and then delegates to the Keystone authenticator for the version found.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "auth/authenticator.h"
#include "auth/identity_client.h"
#include "swiftfs/auth/auth_config.h"

namespace swiftfs::auth {

struct DiscoveredVersion {
  AuthVersion version = AuthVersion::kUnspecified;
  std::string url;  // the versioned endpoint, no trailing '/'
};

// `wanted` kUnspecified: prefer v3, then v2.0. Errors: the transport's, kBadResponse for a
// document we cannot read, kConfig when the wanted version is not offered or its URL is
// refused (CheckDiscoveredUrl).
Result<DiscoveredVersion> DiscoverKeystoneVersion(IdentityClient& identity, const std::string& url,
                                                  AuthVersion wanted);

// Whether the versioned URL a version document at `configured` points to may be used: the
// credentials are sent there next. kConfig when it is not http(s), or when `configured` is
// https and it is plain http (a downgrade would send the password in clear; a proxy that
// terminates TLS often makes Keystone advertise http). Another host is allowed (load
// balancers, public names) but logged as a warning.
Status CheckDiscoveredUrl(const std::string& configured, const std::string& discovered,
                          Logger& logger);

class DiscoveringAuthenticator final : public Authenticator {
 public:
  // Makes the authenticator for a discovered version and its versioned URL.
  using Factory = std::function<Result<std::unique_ptr<Authenticator>>(AuthVersion version,
                                                                       std::string base_url)>;

  DiscoveringAuthenticator(std::string url, AuthVersion wanted, IdentityClient identity,
                           Factory factory)
      : url_(std::move(url)), wanted_(wanted), identity_(identity), factory_(std::move(factory)) {}

  Result<AuthResult> Authenticate() override;
  void Revoke(const Secret& token) override;

 private:
  // The delegate, or nullptr before the first successful discovery.
  std::shared_ptr<Authenticator> Delegate();

  const std::string url_;
  const AuthVersion wanted_;
  IdentityClient identity_;
  Factory factory_;
  // Set once by the first successful discovery. Revoke() (on unmount) may run while an
  // authentication is in flight, so the pointer is read under mu_ and used outside it.
  std::mutex mu_;
  std::shared_ptr<Authenticator> delegate_;  // GUARDED_BY(mu_)
};

}  // namespace swiftfs::auth
