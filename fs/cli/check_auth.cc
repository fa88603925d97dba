#include "cli/check_auth.h"

#include "swiftfs/auth/token_provider_factory.h"
#include "swiftfs/cli/app.h"

namespace swiftfs::cli {

int CheckAuth(const CliOptions& options, Stack& stack, std::ostream& out, std::ostream& err) {
  auto description = stack.tokens().Describe();
  if (!description) {
    err << "swiftfs: authentication failed: " << description.error().ToString() << "\n";
    return kExitConfig;
  }
  out << auth::FormatSessionDescription(*description);
  int status = kExitOk;
  if (!options.fs.container.empty()) {
    // The same check a mount makes before it mounts: the container (and prefix) exist.
    const std::string root = options.fs.container + "/" + options.fs.prefix;
    if (auto init = stack.filesystem().Init(); init) {
      out << "root: " << root << " (found)\n";
    } else {
      err << "swiftfs: root " << root << ": " << init.error().ToString() << "\n";
      status = kExitConfig;
    }
  }
  stack.tokens().Revoke();
  return status;
}

}  // namespace swiftfs::cli
