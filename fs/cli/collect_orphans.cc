#include "cli/collect_orphans.h"

#include "swiftfs/cli/app.h"
#include "swiftfs/core/orphan_segments.h"

namespace swiftfs::cli {

int CollectOrphans(const CliOptions& options, Stack& stack, Logger& logger, std::ostream& out,
                   std::ostream& err) {
  core::OrphanOptions orphan;
  orphan.min_age = std::chrono::duration_cast<std::chrono::seconds>(options.orphan_min_age);
  orphan.dry_run = options.dry_run;
  auto report = core::CollectOrphanSegments(stack.objects(), options.fs.container,
                                            stack.clock().Now(), orphan, logger);
  stack.tokens().Revoke();
  if (!report) {
    err << "swiftfs: collecting orphaned segments of " << options.fs.container << ": "
        << report.error().ToString() << "\n";
    return kExitConfig;
  }
  out << options.fs.container << ": " << report->uploads_seen << " uploads in segments, "
      << report->uploads_kept << " kept, " << report->uploads_removed
      << (options.dry_run ? " orphaned (dry run: nothing deleted), " : " orphaned, ")
      << report->segments_removed << " segments (" << report->bytes_removed << " bytes) "
      << (options.dry_run ? "to remove" : "removed") << "\n";
  return kExitOk;
}

}  // namespace swiftfs::cli
