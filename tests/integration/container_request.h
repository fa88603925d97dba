#pragma once
// SendToContainer: one raw request to a container's URL + `suffix` with a provider's token
// (re-authenticated once on a 401, as the product does), for integration fixtures that
// set up or inspect data without going through the client under test.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "swift/swift_urls.h"
#include "swiftfs/auth/authenticated_sender.h"

namespace swiftfs::testing {

inline Result<http::Response> SendToContainer(
    http::HttpClient& http, auth::TokenProvider& tokens, Logger& logger,
    const std::string& container, http::Method method, const std::string& suffix,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  auth::AuthenticatedSender sender(http, tokens, logger);
  return sender.Send([&](const auth::Session& session) {
    http::Request request;
    request.method = method;
    request.url = swift::ContainerUrl(session.storage_url, container) + suffix;
    for (const auto& [name, value] : headers) request.headers.Set(name, value);
    request.body = body;
    request.timeout = std::chrono::seconds(60);
    return request;
  });
}

}  // namespace swiftfs::testing
