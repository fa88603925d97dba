#pragma once
// Choosing the object-store endpoint from a service catalog. Keystone v2.0 and v3 shape
// their catalogs differently; each authenticator flattens its own into CatalogEndpoints
// (one per service, region and interface) and this one function picks among them, so the
// rules are the same for both versions:
//   - only services of type "object-store" (never by name: clouds name it swift, storage...);
//   - the configured region, or the only region there is; several and none configured, or
//     one configured that is not there, is a kConfig error listing the regions available;
//   - the configured interface (public by default).

#include <string>
#include <vector>

#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/result.h"

namespace swiftfs::auth {

struct CatalogEndpoint {
  std::string service_type;  // "object-store", "identity", ...
  std::string region;        // v3: region_id (or the older region); v2.0: region
  Interface interface = Interface::kPublic;
  std::string url;
};

struct EndpointChoice {
  std::string url;  // without a trailing '/'
  std::string region;
};

// Errors are kConfig with a message naming OS_REGION_NAME / OS_INTERFACE as the fix.
Result<EndpointChoice> SelectObjectStoreEndpoint(const std::vector<CatalogEndpoint>& catalog,
                                                 const std::string& region, Interface interface);

}  // namespace swiftfs::auth
