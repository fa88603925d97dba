#include "auth/keystone_discovery.h"

#include "auth/auth_version.h"
#include "auth/identity_response.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::auth {

namespace {

using nlohmann::json;

// The entries of a version document, whichever of its shapes the server uses.
std::vector<json> VersionEntries(const json& document) {
  std::vector<json> out;
  if (auto versions = document.find("versions"); versions != document.end()) {
    const json* values = &*versions;
    if (versions->is_object() && versions->contains("values")) values = &(*versions)["values"];
    if (values->is_array()) {
      for (const json& entry : *values) out.push_back(entry);
    }
  } else if (const json* single = ObjectMember(document, "version")) {
    out.push_back(*single);  // a versioned URL answers with just itself
  }
  return out;
}

std::string SelfLink(const json& entry) {
  auto links = entry.find("links");
  if (links == entry.end() || !links->is_array()) return {};
  for (const json& link : *links) {
    if (OptionalString(link, "rel") == "self") return OptionalString(link, "href");
  }
  return {};
}

// The scheme of an absolute URL, lower-cased ("https"); empty when there is none.
std::string SchemeOf(std::string_view url) {
  const size_t colon = url.find("://");
  return colon == std::string_view::npos ? std::string() : ToLower(url.substr(0, colon));
}

// "host[:port]" of an absolute URL, lower-cased, without user info.
std::string AuthorityOf(std::string_view url) {
  const std::string log = http::UrlForLog(url);  // "host[:port]/path"
  return ToLower(std::string_view(log).substr(0, log.find('/')));
}

}  // namespace

Status CheckDiscoveredUrl(const std::string& configured, const std::string& discovered,
                          Logger& logger) {
  const std::string scheme = SchemeOf(discovered);
  if (scheme != "http" && scheme != "https") {
    return MakeError(ErrorCode::kConfig, "the version document at " + configured + " points to '" +
                                             http::UrlForLog(discovered) +
                                             "', not an http(s) URL; put the versioned URL in "
                                             "OS_AUTH_URL");
  }
  if (SchemeOf(configured) == "https" && scheme == "http") {
    return MakeError(ErrorCode::kConfig,
                     "refusing the identity endpoint http://" + http::UrlForLog(discovered) +
                         " that the version document at " + configured +
                         " points to: it would send the credentials without TLS; put the "
                         "versioned https URL (e.g. " +
                         configured + "/v3) in OS_AUTH_URL, or fix Keystone's public_endpoint");
  }
  if (AuthorityOf(discovered) != AuthorityOf(configured)) {
    logger.Warning("the version document at " + configured + " points to another host: " +
                   http::UrlForLog(discovered) + "; sending the credentials there");
  }
  return OkStatus();
}

Result<DiscoveredVersion> DiscoverKeystoneVersion(IdentityClient& identity, const std::string& url,
                                                  AuthVersion wanted) {
  http::Request request;
  request.method = http::Method::kGet;
  request.url = url;
  request.headers.Set("Accept", "application/json");
  Result<http::Response> response = identity.Send(request, "GET " + url + " (version document)");
  if (!response) return IdentityTransportError(response.error(), url);
  // Keystone answers the root with 300 Multiple Choices, a versioned URL with 200.
  if (response->status != 300) {
    if (Status status = CheckIdentityStatus(*response, IdentityContext{url, "", {}}); !status) {
      return status.error();
    }
  }
  Result<json> document = ParseJsonBody(*response, "the version document at " + url);
  if (!document) return document.error();

  DiscoveredVersion best;
  std::string offered;
  for (const json& entry : VersionEntries(*document)) {
    const std::string id = OptionalString(entry, "id");
    const std::optional<AuthVersion> version = ParseAuthVersion(id);
    const std::string href = SelfLink(entry);
    if (!version || href.empty()) continue;
    offered += (offered.empty() ? "" : ", ") + id;
    const bool acceptable = wanted == AuthVersion::kUnspecified
                                ? (*version == AuthVersion::kV3 || *version == AuthVersion::kV2)
                                : *version == wanted;
    // Among acceptable entries prefer v3 (the enum orders kV2 < kV3).
    if (acceptable && (best.version == AuthVersion::kUnspecified || *version > best.version)) {
      best = DiscoveredVersion{*version, WithoutTrailingSlashes(href)};
    }
  }
  if (best.version == AuthVersion::kUnspecified) {
    const std::string asked = wanted == AuthVersion::kUnspecified
                                  ? std::string("v3 or v2.0")
                                  : std::string(AuthVersionName(wanted));
    return MakeError(
        ErrorCode::kConfig,
        "the identity service at " + url + " offers no " + asked + " API (" +
            (offered.empty() ? std::string("no usable version entries") : "it offers " + offered) +
            "); put the versioned URL in OS_AUTH_URL");
  }
  if (Status allowed = CheckDiscoveredUrl(url, best.url, identity.logger()); !allowed) {
    return allowed.error();
  }
  return best;
}

std::shared_ptr<Authenticator> DiscoveringAuthenticator::Delegate() {
  std::lock_guard<std::mutex> lock(mu_);
  return delegate_;
}

Result<AuthResult> DiscoveringAuthenticator::Authenticate() {
  std::shared_ptr<Authenticator> delegate = Delegate();
  if (!delegate) {
    // Only one Authenticate() runs at a time (the manager's single flight), so discovery
    // cannot race with itself.
    Result<DiscoveredVersion> found = DiscoverKeystoneVersion(identity_, url_, wanted_);
    if (!found) return found.error();
    identity_.logger().Info("identity service at " + url_ + ": using " +
                            std::string(AuthVersionName(found->version)) + " at " + found->url);
    Result<std::unique_ptr<Authenticator>> made = factory_(found->version, found->url);
    if (!made) return made.error();
    delegate = std::move(*made);
    std::lock_guard<std::mutex> lock(mu_);
    delegate_ = delegate;
  }
  return delegate->Authenticate();
}

void DiscoveringAuthenticator::Revoke(const Secret& token) {
  if (std::shared_ptr<Authenticator> delegate = Delegate()) delegate->Revoke(token);
}

}  // namespace swiftfs::auth
