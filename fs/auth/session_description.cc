// FormatSessionDescription: what `swiftfs --check-auth` prints.

#include <sstream>

#include "swiftfs/auth/token_provider_factory.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::auth {

std::string FormatSessionDescription(const SessionDescription& d) {
  std::ostringstream out;
  const auto line = [&out](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    out << label;
    for (size_t i = label.size(); i < 16; ++i) out << ' ';
    out << value << '\n';
  };
  line("auth version:", d.auth_version);
  line("auth method:", d.auth_method);
  line("user:", d.user);
  line("project:", d.project);
  line("region:", d.region);
  line("interface:", d.interface);
  line("storage URL:", d.storage_url);
  line("token expires:", d.expires_at ? FormatIso8601(*d.expires_at)
                                      : std::string("unknown (the server gave no expiry)"));
  line("token:", d.token_fingerprint + " (fingerprint; the token itself is never shown)");
  return out.str();
}

}  // namespace swiftfs::auth
