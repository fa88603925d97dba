// The program's control flow. Everything that can fail because of the user's input (bad
// options, credentials, an unknown container) fails here, before the kernel mount, with a
// one-line reason on stderr and exit status 1; only the mount itself exits with 2.

#include "swiftfs/cli/app.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "cli/argv_scrub.h"
#include "cli/check_auth.h"
#include "cli/collect_orphans.h"
#include "cli/help.h"
#include "cli/stack.h"
#include "cli/switchable_logger.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/cli/options.h"
#include "swiftfs/fuse/fuse_adapter.h"
#include "swiftfs/fuse/fuse_mount.h"
#include "swiftfs/http/curl_http_client.h"

namespace swiftfs::cli {
namespace {

int Fail(int status, const std::string& reason) {
  std::cerr << "swiftfs: " << reason << "\n";
  return status;
}

fuse::MountOptions ToMountOptions(const CliOptions& options) {
  fuse::MountOptions mount;
  mount.mountpoint = options.mountpoint;
  mount.fuse_options = options.fuse_options;
  mount.debug = options.fuse_debug;
  mount.single_threaded = options.single_threaded;
  mount.max_threads = options.max_threads;
  mount.clone_fd = options.clone_fd;
  return mount;
}

// Mounts and serves until unmount or a signal. The stack is ready: Init() succeeded.
// After daemonizing, log lines go to `syslog`.
int MountAndServe(const CliOptions& options, Stack& stack, SwitchableLogger& logger,
                  Logger& syslog) {
  fuse::FuseAdapter adapter(stack.filesystem(), logger, stack.clock());
  auto mount = fuse::FuseMount::Create(ToMountOptions(options), adapter, logger);
  if (!mount) return Fail(kExitConfig, mount.error().message);
  if (auto mounted = (*mount)->Mount(); !mounted) return Fail(kExitMount, mounted.error().message);

  // Detach after the mount succeeded, so a failure above is still reported to the user's
  // terminal with its exit status; the parent exits 0 once the child has detached.
  if (!options.foreground) {
    if (fuse_daemonize(0) != 0) return Fail(kExitMount, "cannot daemonize");
    logger.SwitchTo(syslog);
  }
  stack.StartPrefetcher();
  stack.tokens().StartBackgroundRenewal();  // also a thread: after the fork too
  logger.Info("mounted " + (options.source.empty() ? std::string("account") : options.source) +
              " on " + options.mountpoint);
  // As soon as the session ends (signal or unmount), GETs in flight are aborted: a worker
  // stuck on a stalled server would otherwise hold up the loop's exit for up to
  // op_timeout. Polled, because libfuse's signal handler only sets the session's flag.
  std::atomic<bool> serving{true};
  std::thread watcher([&] {
    while (serving.load()) {
      if ((*mount)->exited()) return stack.AbortTransfers();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  const Status served = (*mount)->Run();
  serving.store(false);
  watcher.join();
  stack.FinishAbort();  // the prefetcher's GETs in flight end before the stack goes
  mount->reset();       // unmount before tearing the stack down
  if (!served) {
    logger.Error(served.error().ToString());
    return kExitMount;
  }
  return kExitOk;
}

}  // namespace

int RunSwiftfs(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  ScrubSecretOptions(argc, argv);

  auto parsed = ParseCommandLine(args, ParseDefaults{getuid(), getgid()});
  if (!parsed) return Fail(kExitConfig, parsed.error().message);
  const CliOptions& options = *parsed;
  switch (options.action) {
    case Action::kHelp:
      std::cout << HelpText();
      return kExitOk;
    case Action::kVersion:
      std::cout << VersionText();
      return kExitOk;
    case Action::kMount:
    case Action::kCheckAuth:
    case Action::kCollectOrphans:
      break;
  }

  StderrLogger stderr_logger(options.log_level);
  SyslogLogger syslog_logger(options.log_level);
  SwitchableLogger logger(options.log_level, stderr_logger);
  for (const auto& note : options.notes) logger.Debug(note);

  auth::SystemEnvironment environment;
  auto auth_config = auth::LoadAuthConfig(environment, options.auth_options, logger);
  if (!auth_config) return Fail(kExitConfig, auth_config.error().message);

  http::CurlGlobal curl_global;  // before any thread starts; lives as long as the stack
  auto stack = Stack::Build(options, *auth_config, logger);
  if (!stack) return Fail(kExitConfig, stack.error().message);

  if (options.action == Action::kCheckAuth) {
    return CheckAuth(options, **stack, std::cout, std::cerr);
  }
  if (options.action == Action::kCollectOrphans) {
    return CollectOrphans(options, **stack, logger, std::cout, std::cerr);
  }

  // Authenticates and checks that the root (container, prefix) exists: a wrong password,
  // an unreachable auth URL or a missing container stop here, before anything is mounted.
  if (auto init = (*stack)->filesystem().Init(); !init) {
    (*stack)->tokens().Revoke();  // a token may exist (e.g. the container is missing)
    return Fail(kExitConfig, "cannot mount: " + init.error().ToString());
  }

  const int status = MountAndServe(options, **stack, logger, syslog_logger);
  (*stack)->tokens().Revoke();
  logger.Info("counters: " + (*stack)->counters().ToString());
  return status;
}

}  // namespace swiftfs::cli
