// The table of swiftfs's own -o options and of its command-line switches.
//
// ADDING AN OPTION IS ONE ENTRY in kMountOptions below: its name, kind, the field it sets
// (At<&CliOptions::member>(), or a path of member pointers into a nested struct), its help
// text and, for numbers, its bounds. The parser, --help (with the
// default read from the field's initializer) and the help/man agreement test all follow
// from it; the test then asks for a man/swiftfs.1 paragraph that gives the same default.
// Options that are not ours (FUSE's, mount helpers', auth's) are classified in options.cc.

#include "cli/option_spec.h"

#include <array>

namespace swiftfs::cli {
namespace {

using cache::DiskCacheOptions;
using cache::PrefetchOptions;
using core::FsOptions;
using enum OptionKind;
using enum OptionSection;

constexpr uint64_t kMaxId = 0xFFFFFFFEu;  // (uid_t)-1 means "unchanged" to chown(2)
constexpr uint64_t kMaxEntries = 1'000'000'000;

// In --help order. Each entry: Option(name, kind, field, help) and, where needed, its
// bounds (Range), AboveZero, Sets(false) for a flag that clears its field, In(kConnection)
// for the --help heading, DefaultText for a default decided at run time.
constexpr std::array kMountOptions = {
    // Also the kernel's `ro` mount flag (options.cc forwards it when the field is set).
    Option("ro", kFlag, At<&CliOptions::fs, &FsOptions::read_only>(),
           "read-only: every write fails with EROFS (without it, and\nwith rw, the mount is "
           "read-write)"),
    Option("uid", kUnsigned, At<&CliOptions::fs, &FsOptions::uid>(), "owner of every file")
        .Range(0, kMaxId)
        .DefaultText("the mounting user"),
    Option("gid", kUnsigned, At<&CliOptions::fs, &FsOptions::gid>(), "group of every file")
        .Range(0, kMaxId)
        .DefaultText("the mounting user's group"),
    Option("umask", kOctalMode, At<&CliOptions::fs, &FsOptions::umask>(),
           "octal mask applied to the modes of directories (0755, ro:\n0555) and files (0644, ro: "
           "0444)"),
    Option("attr_timeout", kSeconds, At<&CliOptions::fs, &FsOptions::attr_timeout>(),
           "how long attributes are cached"),
    Option("entry_timeout", kSeconds, At<&CliOptions::fs, &FsOptions::entry_timeout>(),
           "how long name lookups are cached"),
    Option("negative_timeout", kSeconds, At<&CliOptions::fs, &FsOptions::negative_timeout>(),
           "how long \"no such name\" is cached"),
    Option("dir_cache_timeout", kSeconds, At<&CliOptions::fs, &FsOptions::dir_cache_timeout>(),
           "how long a directory listing stays fresh"),
    Option("max_cached_entries", kUnsigned, At<&CliOptions::fs, &FsOptions::max_cached_entries>(),
           "bound on cached metadata entries")
        .Range(1, kMaxEntries),
    Option("stream_dir_entries", kUnsigned,
           At<&CliOptions::fs, &FsOptions::stream_directory_entries>(),
           "read directories of more entries page by page instead of\n"
           "holding them whole; 0 never")
        .Range(0, kMaxEntries),
    Option("list_until_empty", kFlag, At<&CliOptions::fs, &FsOptions::list_until_empty_page>(),
           "keep listing until an empty page (servers that return short\n"
           "pages early, e.g. Ceph RGW)"),
    Option("no_dlo_check", kFlag, At<&CliOptions::fs, &FsOptions::verify_zero_byte_objects>(),
           "trust 0-byte listing entries: no HEAD per empty file, but\n"
           "DLO manifests then show as 0 bytes")
        .Sets(false),
    Option("mtime", kMtimeSource, At<&CliOptions::fs, &FsOptions::mtime>(),
           "file mtimes: meta (X-Object-Meta-Mtime, else Last-Modified;\n"
           "one HEAD per object version, remembered) or server\n"
           "(Last-Modified, from listings alone)"),
    Option("meta_fetchers", kUnsigned, At<&CliOptions::fs, &FsOptions::meta_fetchers>(),
           "HEADs in flight fetching object metadata ahead of stats")
        .Range(1, 256),
    Option("segment_size", kSize, At<&CliOptions::fs, &FsOptions::segment_size>(),
           "files larger than this are uploaded in segments of this size\n"
           "(SLO); raised to the cluster's minimum"),
    Option("parallel_uploads", kUnsigned,
           At<&CliOptions::fs, &FsOptions::parallel_segment_uploads>(),
           "segment uploads in flight, all files together")
        .Range(1, 256),
    Option("staging_dir", kPath, At<&CliOptions::fs, &FsOptions::staging_dir>(),
           "directory of the local copies of files changed in place")
        .DefaultText("CACHE_DIR/staging, else $XDG_CACHE_HOME/swiftfs, else /var/tmp"),
    Option("staging_size", kSize, At<&CliOptions::fs, &FsOptions::staging_size>(),
           "space all local copies may take; ENOSPC beyond (under\n"
           "cache_dir, within cache_size too)"),
    Option("rename_dir_limit", kUnsigned,
           At<&CliOptions::fs, &FsOptions::rename_directory_max_objects>(),
           "objects a directory rename copies server-side; above it EXDEV\n"
           "(mv then copies file by file)")
        .Range(0, 1'000'000),
    Option("prefetch_memory", kSize, At<&CliOptions::prefetch, &PrefetchOptions::memory_budget>(),
           "memory for read-ahead of all open files"),
    Option("prefetch_part", kSize, At<&CliOptions::prefetch, &PrefetchOptions::part_size>(),
           "bytes per read-ahead GET"),
    Option("prefetch_window", kSize, At<&CliOptions::prefetch, &PrefetchOptions::window_max>(),
           "read-ahead of one sequential reader, at most"),
    Option("prefetch_threads", kUnsigned, At<&CliOptions::prefetch, &PrefetchOptions::threads>(),
           "read-ahead GETs in flight, all files together")
        .Range(1, 256),
    Option("cache_dir", kPath, At<&CliOptions::disk_cache, &DiskCacheOptions::dir>(),
           "keep fetched and written data in this local directory across\n"
           "mounts (a block cache keyed by ETag; one mount per directory)")
        .DefaultText("none"),
    Option("cache_size", kSize, At<&CliOptions::disk_cache, &DiskCacheOptions::capacity>(),
           "most bytes the disk cache (and the staging under it) may\n"
           "hold; it also always leaves 10% of its file system free")
        .DefaultText("no cap"),
    Option("fetch_on_stat", kFlag, At<&CliOptions::disk_cache, &DiskCacheOptions::fetch_on_stat>(),
           "with cache_dir: stats of small files in listing order (rsync's\n"
           "first pass, but also ls -l) fetch them whole into the cache\n"
           "instead of a HEAD, so reading them later costs no request"),
    Option("readahead_files", kUnsigned, At<&CliOptions::prefetch, &PrefetchOptions::tree_files>(),
           "small files fetched ahead of a directory walk (rsync, cp -r,\n"
           "tar); 0 never")
        .Range(0, 1024),
    Option("readahead_bytes", kSize, At<&CliOptions::prefetch, &PrefetchOptions::tree_bytes>(),
           "bytes fetched ahead of one directory walk, at most"),
    Option("log_level", kLogLevel, At<&CliOptions::log_level>(),
           "debug, info, warning, error or off"),
    Option("max_threads", kUnsigned, At<&CliOptions::max_threads>(),
           "upper bound on FUSE worker threads")
        .Range(1, 1024),
    Option("clone_fd", kFlag, At<&CliOptions::clone_fd>(),
           "one /dev/fuse descriptor per worker thread"),
    Option("connect_timeout", kSeconds, At<&CliOptions::connect_timeout>(),
           "TCP/TLS connect timeout")
        .AboveZero()
        .In(kConnection),
    Option("op_timeout", kSeconds, At<&CliOptions::op_timeout>(),
           "deadline of one Swift operation, retries included")
        .AboveZero()
        .In(kConnection),
    Option("orphan_min_age", kSeconds, At<&CliOptions::orphan_min_age>(),
           "--collect-orphans leaves uploads younger than this alone"),
    Option("insecure", kFlag, At<&CliOptions::insecure>(),
           "do not verify TLS certificates (dangerous)")
        .In(kConnection),
};

// -o, -- and positionals are handled by the parser itself (options.cc).
constexpr std::array kSwitches = {
    SwitchSpec{"-h", "--help", "print this help and exit",
               [](CliOptions& o) { o.action = Action::kHelp; }},
    SwitchSpec{"-V", "--version", "print the version and exit",
               [](CliOptions& o) { o.action = Action::kVersion; }},
    SwitchSpec{"", "--check-auth", "authenticate, print the session (never the token), exit",
               [](CliOptions& o) {
                 if (o.action == Action::kMount) o.action = Action::kCheckAuth;  // help wins
               }},
    SwitchSpec{"", "--collect-orphans", "delete the segments of uploads that never committed, exit",
               [](CliOptions& o) {
                 if (o.action == Action::kMount) o.action = Action::kCollectOrphans;
               }},
    SwitchSpec{"", "--dry-run", "with --collect-orphans: list, delete nothing",
               [](CliOptions& o) { o.dry_run = true; }},
    SwitchSpec{"-f", "--foreground", "stay in the foreground, log to stderr",
               [](CliOptions& o) { o.foreground = true; }},
    SwitchSpec{"-d", "--debug", "debug logging; implies -f",
               [](CliOptions& o) {
                 o.debug = true;
                 o.foreground = true;
                 o.log_level = LogLevel::kDebug;
               }},
    SwitchSpec{"-s", "--single-thread", "serve requests on one thread",
               [](CliOptions& o) { o.single_threaded = true; }},
};

}  // namespace

std::span<const OptionSpec> MountOptionTable() { return kMountOptions; }

const OptionSpec* FindMountOption(std::string_view name) {
  for (const OptionSpec& spec : kMountOptions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::span<const SwitchSpec> SwitchTable() { return kSwitches; }

const SwitchSpec* FindSwitch(std::string_view arg) {
  for (const SwitchSpec& s : kSwitches) {
    if (arg == s.long_name || (!s.short_name.empty() && arg == s.short_name)) return &s;
  }
  return nullptr;
}

}  // namespace swiftfs::cli
