#pragma once
// swiftfs --collect-orphans CONTAINER: removes the segments of uploads that never committed
// (a crash, kill -9, a machine lost mid-upload), with no mount. The rule of what is an
// orphan and what is never touched is the core's (core::CollectOrphanSegments); this is
// the command around it.

#include <ostream>

#include "cli/stack.h"
#include "swiftfs/cli/options.h"

namespace swiftfs::cli {

// Collects the orphaned segments of options.fs.container (older than
// options.orphan_min_age; with options.dry_run only lists them), prints what it found to
// `out`, revokes its token. Returns kExitOk, or prints the reason to `err` and returns
// kExitConfig.
int CollectOrphans(const CliOptions& options, Stack& stack, Logger& logger, std::ostream& out,
                   std::ostream& err);

}  // namespace swiftfs::cli
