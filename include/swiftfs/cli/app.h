#pragma once
// The swiftfs program: parses the command line, builds the real stack (the composition
// root), checks credentials and the mount root BEFORE mounting, mounts, daemonizes, serves
// until unmount or a signal, then revokes the token and logs the counters.

namespace swiftfs::cli {

// Exit statuses, documented in swiftfs(1).
inline constexpr int kExitOk = 0;
inline constexpr int kExitConfig = 1;  // usage, configuration, authentication, bad source
inline constexpr int kExitMount = 2;   // the kernel mount failed, or the FUSE loop did

// main(): may rewrite argv in place (secrets given with -o are scrubbed from it).
int RunSwiftfs(int argc, char** argv);

}  // namespace swiftfs::cli
