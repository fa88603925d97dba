#include "auth/catalog.h"

#include <algorithm>
#include <set>

namespace swiftfs::auth {

namespace {

constexpr const char* kObjectStore = "object-store";

std::string JoinQuoted(const std::set<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += "'" + name + "'";
  }
  return out;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

Result<EndpointChoice> SelectObjectStoreEndpoint(const std::vector<CatalogEndpoint>& catalog,
                                                 const std::string& region, Interface interface) {
  std::vector<const CatalogEndpoint*> swift;
  std::set<std::string> services;
  for (const auto& endpoint : catalog) {
    services.insert(endpoint.service_type);
    if (endpoint.service_type == kObjectStore && !endpoint.url.empty()) swift.push_back(&endpoint);
  }
  if (swift.empty()) {
    return MakeError(ErrorCode::kConfig,
                     "the service catalog has no object-store (Swift) endpoint" +
                         (services.empty() ? std::string(" (the catalog is empty)")
                                           : " (services found: " + JoinQuoted(services) + ")"));
  }

  std::set<std::string> regions;
  for (const auto* endpoint : swift) regions.insert(endpoint->region);
  std::string chosen_region = region;
  if (chosen_region.empty()) {
    if (regions.size() > 1) {
      return MakeError(ErrorCode::kConfig,
                       "the object-store service has endpoints in several regions (" +
                           JoinQuoted(regions) + "); choose one with OS_REGION_NAME or -o region=");
    }
    chosen_region = *regions.begin();
  } else if (!regions.count(chosen_region)) {
    return MakeError(ErrorCode::kConfig, "the object-store service has no endpoint in region '" +
                                             chosen_region + "' (regions available: " +
                                             JoinQuoted(regions) + "); check OS_REGION_NAME");
  }

  std::set<std::string> interfaces;
  for (const auto* endpoint : swift) {
    if (endpoint->region != chosen_region) continue;
    if (endpoint->interface == interface) {
      return EndpointChoice{WithoutTrailingSlash(endpoint->url), chosen_region};
    }
    interfaces.insert(std::string(InterfaceName(endpoint->interface)));
  }
  return MakeError(ErrorCode::kConfig,
                   "the object-store service has no " + std::string(InterfaceName(interface)) +
                       " endpoint in region '" + chosen_region + "' (interfaces available: " +
                       JoinQuoted(interfaces) + "); check OS_INTERFACE or -o interface=");
}

}  // namespace swiftfs::auth
