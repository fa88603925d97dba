#pragma once
// swiftfs --check-auth: the OVH guide's manual curl walk-through (authenticate, pick the
// object-store endpoint, use the token) as one command, with no mount.

#include <ostream>

#include "cli/stack.h"
#include "swiftfs/cli/options.h"

namespace swiftfs::cli {

// Authenticates, prints the session (never the token) to `out`; with a CONTAINER[/PREFIX]
// also checks that it exists. Revokes the token it created. Returns kExitOk, or prints the
// reason to `err` and returns kExitConfig.
int CheckAuth(const CliOptions& options, Stack& stack, std::ostream& out, std::ostream& err);

}  // namespace swiftfs::cli
