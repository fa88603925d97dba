#pragma once
// The command line of swiftfs, parsed into values, with no side effects: the parser reads
// nothing but its arguments, so every option, every bad value and both calling conventions
// are unit-tested.
//
//   swiftfs [OPTIONS] [CONTAINER[/PREFIX]] MOUNTPOINT        (options anywhere)
//   swiftfs SOURCE MOUNTPOINT -o opts                          (mount.fuse3, fstab)
//   swiftfs --check-auth [-o opts] [CONTAINER[/PREFIX]]
//   swiftfs --collect-orphans [--dry-run] [-o opts] CONTAINER
//
// A SOURCE of "swiftfs" or "none" (what fstab lines put there) means the whole account.
// Mount options split four ways: ours (declared once, in fs/cli/option_table.cc), FUSE/kernel
// ones forwarded to libfuse, options the mount helpers add that mean nothing here (ignored),
// and credentials, handed to auth::LoadAuthConfig unchanged (auth::IsAuthOption decides
// which names those are).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/cache/prefetcher.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::cli {

enum class Action { kMount, kCheckAuth, kCollectOrphans, kHelp, kVersion };

// The core's defaults, read-write: a mount is read-only only with -o ro.
inline core::FsOptions ReadWriteFsOptions() {
  core::FsOptions fs;
  fs.read_only = false;
  return fs;
}

struct CliOptions {
  Action action = Action::kMount;

  std::string source;      // as given ("" when absent: the whole account)
  std::string mountpoint;  // kMount only

  bool foreground = false;       // -f (and -d)
  bool debug = false;            // -d: debug log in the foreground
  bool single_threaded = false;  // -s
  unsigned max_threads = 16;     // -o max_threads=
  bool clone_fd = false;         // -o clone_fd
  bool fuse_debug = false;       // -o debug: libfuse's request trace
  LogLevel log_level = LogLevel::kInfo;

  // Container, prefix, ownership, modes, timeouts, listing behaviour. Mounts are
  // read-write unless -o ro.
  core::FsOptions fs = ReadWriteFsOptions();

  // Transport.
  std::chrono::milliseconds connect_timeout{10'000};
  // -o op_timeout=SEC: overall deadline of one Swift operation (a read's GET with its
  // retries and resumes, a HEAD, a listing page).
  std::chrono::milliseconds op_timeout{60'000};
  bool insecure = false;  // -o insecure: do not verify TLS certificates

  // Read-ahead: prefetch_memory=, prefetch_part=, prefetch_window=, prefetch_threads=.
  cache::PrefetchOptions prefetch;

  // Disk block cache: cache_dir= (off when empty), cache_size=.
  cache::DiskCacheOptions disk_cache;

  // --collect-orphans: uploads whose newest segment is younger than this are left alone
  // (-o orphan_min_age=SEC: they may still be in flight on a mount); --dry-run deletes
  // nothing.
  std::chrono::seconds orphan_min_age{24 * 3600};
  bool dry_run = false;

  // Forwarded to libfuse / the kernel, in order ("allow_other", "fsname=x", "ro", ...).
  std::vector<std::string> fuse_options;

  // Credentials and endpoint options for auth::LoadAuthConfig (auth_url, region, ...).
  std::map<std::string, std::string> auth_options;

  // Informational notes for the log, written at debug level once the logger exists.
  std::vector<std::string> notes;
};

// Values the parser cannot know by itself: the defaults for uid= and gid=.
struct ParseDefaults {
  uid_t uid = 0;
  gid_t gid = 0;
};

// Parses `args` (without argv[0]). kInvalidArgument with a message naming the option and
// the bad value, e.g. "option umask=: '99x' is not an octal mode".
Result<CliOptions> ParseCommandLine(std::span<const std::string> args,
                                    const ParseDefaults& defaults);

// Applies one -o argument ("uid=5,allow_other,password=a\,b": items split at ',', "\,"
// keeps a comma in a value) to `out`, as ParseCommandLine does for each -o. Stops at the
// first bad item: kInvalidArgument naming the option and what is wrong with its value.
Status ApplyMountOptions(std::string_view list, CliOptions& out);

// Splits "CONTAINER[/PREFIX]" into container and prefix (ending in '/', or empty). "" and
// "swiftfs"/"none" mean the account. kInvalidArgument for an empty container or an empty,
// "." or ".." component.
Status ParseSource(const std::string& source, core::FsOptions& fs);

// Parsers for option values, shared with the tests.
Result<uint64_t> ParseSize(const std::string& text);  // "256M", "1G", "4096", "64k"
Result<std::chrono::duration<double>> ParseSeconds(const std::string& text);  // "1.5", "0"
Result<LogLevel> ParseLogLevel(const std::string& text);  // debug|info|warning|error|off

}  // namespace swiftfs::cli
