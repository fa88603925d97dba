// Command-line parsing: flags and positionals in any order (mount.fuse3 puts -o after the
// positionals), then each -o item classified as ours, FUSE's, ignorable, or auth's.

#include "swiftfs/cli/options.h"

#include <array>
#include <functional>
#include <string_view>

#include "cli/option_values.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::cli {
namespace {

Error Bad(const std::string& what) { return MakeError(ErrorCode::kInvalidArgument, what); }

// Kernel and libfuse options passed through to fuse_session_new as given.
constexpr std::array<std::string_view, 24> kFuseFlags = {
    "allow_other",  "allow_root",    "default_permissions",
    "auto_unmount", "dev",           "nodev",
    "suid",         "nosuid",        "exec",
    "noexec",       "atime",         "noatime",
    "nodiratime",   "relatime",      "norelatime",
    "strictatime",  "nostrictatime", "sync",
    "async",        "dirsync",       "ro",
    "lazytime",     "nolazytime",    "debug"};
constexpr std::array<std::string_view, 7> kFuseValueOptions = {
    "fsname", "subtype", "max_read", "context", "fscontext", "defcontext", "rootcontext"};

// Options mount(8) or mount.fuse3 may hand us that concern them, not the filesystem.
constexpr std::array<std::string_view, 10> kIgnored = {
    "defaults", "auto", "noauto", "user", "nouser", "users", "_netdev", "nofail", "owner", "group"};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view name) {
  for (auto s : set) {
    if (s == name) return true;
  }
  return false;
}

// Applies one "name" or "name=value" item of -o.
Status ApplyMountOption(const std::string& item, CliOptions& out) {
  const size_t eq = item.find('=');
  const std::string name = item.substr(0, eq);
  const bool has_value = eq != std::string::npos;
  const std::string value = has_value ? item.substr(eq + 1) : "";
  auto need_value = [&]() -> Status {
    if (!has_value || value.empty()) return Bad("option " + name + "= needs a value");
    return OkStatus();
  };
  auto fail = [&](const Error& e) { return Bad("option " + name + "=: " + e.message); };
  auto no_value = [&]() -> Status {
    if (has_value) return Bad("option " + name + " takes no value");
    return OkStatus();
  };

  if (name.empty()) return OkStatus();  // "a,,b"
  if (name == "uid" || name == "gid") {
    if (auto s = need_value(); !s) return s;
    auto id = ParseUnsigned(value, 0xFFFFFFFEu);
    if (!id) return fail(id.error());
    (name == "uid" ? out.fs.uid : out.fs.gid) = static_cast<uint32_t>(*id);
    return OkStatus();
  }
  if (name == "umask") {
    if (auto s = need_value(); !s) return s;
    auto mode = ParseOctalMode(value);
    if (!mode) return fail(mode.error());
    out.fs.umask = *mode & 0777;
    return OkStatus();
  }
  if (name == "attr_timeout" || name == "entry_timeout" || name == "negative_timeout" ||
      name == "dir_cache_timeout") {
    if (auto s = need_value(); !s) return s;
    auto seconds = ParseSeconds(value);
    if (!seconds) return fail(seconds.error());
    if (name == "attr_timeout") out.fs.attr_timeout = *seconds;
    if (name == "entry_timeout") out.fs.entry_timeout = *seconds;
    if (name == "negative_timeout") out.fs.negative_timeout = *seconds;
    if (name == "dir_cache_timeout") out.fs.dir_cache_timeout = *seconds;
    return OkStatus();
  }
  if (name == "connect_timeout" || name == "op_timeout") {
    if (auto s = need_value(); !s) return s;
    auto seconds = ParseSeconds(value);
    if (!seconds) return fail(seconds.error());
    if (seconds->count() <= 0) return Bad("option " + name + "=: must be above 0");
    const auto ms = std::chrono::milliseconds(static_cast<int64_t>(seconds->count() * 1000));
    (name == "connect_timeout" ? out.connect_timeout : out.op_timeout) = ms;
    return OkStatus();
  }
  if (name == "max_cached_entries") {
    if (auto s = need_value(); !s) return s;
    auto n = ParseUnsigned(value, 1'000'000'000);
    if (!n) return fail(n.error());
    if (*n == 0) return Bad("option max_cached_entries=: must be at least 1");
    out.fs.max_cached_entries = *n;
    return OkStatus();
  }
  if (name == "stream_dir_entries") {
    if (auto s = need_value(); !s) return s;
    auto n = ParseUnsigned(value, 1'000'000'000);
    if (!n) return fail(n.error());
    out.fs.stream_directory_entries = *n;  // 0: never stream
    return OkStatus();
  }
  if (name == "max_threads") {
    if (auto s = need_value(); !s) return s;
    auto n = ParseUnsigned(value, 1024);
    if (!n) return fail(n.error());
    if (*n == 0) return Bad("option max_threads=: must be at least 1");
    out.max_threads = static_cast<unsigned>(*n);
    return OkStatus();
  }
  if (name == "prefetch_memory" || name == "prefetch_part" || name == "prefetch_window") {
    if (auto s = need_value(); !s) return s;
    auto bytes = ParseSize(value);
    if (!bytes) return fail(bytes.error());
    if (name == "prefetch_memory") out.prefetch_memory = *bytes;
    if (name == "prefetch_part") out.prefetch_part = *bytes;
    if (name == "prefetch_window") out.prefetch_window = *bytes;
    return OkStatus();
  }
  if (name == "prefetch_threads") {
    if (auto s = need_value(); !s) return s;
    auto n = ParseUnsigned(value, 256);
    if (!n) return fail(n.error());
    if (*n == 0) return Bad("option prefetch_threads=: must be at least 1");
    out.prefetch_threads = static_cast<uint32_t>(*n);
    return OkStatus();
  }
  if (name == "log_level") {
    if (auto s = need_value(); !s) return s;
    auto level = ParseLogLevel(value);
    if (!level) return fail(level.error());
    out.log_level = *level;
    return OkStatus();
  }
  if (name == "list_until_empty" || name == "no_dlo_check" || name == "insecure" ||
      name == "clone_fd") {
    if (auto s = no_value(); !s) return s;
    if (name == "list_until_empty") out.fs.list_until_empty_page = true;
    if (name == "no_dlo_check") out.fs.verify_zero_byte_objects = false;
    if (name == "insecure") out.insecure = true;
    if (name == "clone_fd") out.clone_fd = true;
    return OkStatus();
  }
  if (name == "rw") {
    out.notes.push_back("option rw ignored: swiftfs mounts are always read-only");
    return OkStatus();
  }
  if (In(kIgnored, name) || StartsWith(name, "x-") || name == "comment") return OkStatus();
  if (In(kFuseFlags, name)) {
    if (auto s = no_value(); !s) return s;
    if (name == "debug") {
      out.fuse_debug = true;
    } else if (name != "ro") {  // "ro" is always forwarded, once
      out.fuse_options.push_back(name);
    }
    return OkStatus();
  }
  if (In(kFuseValueOptions, name)) {
    if (auto s = need_value(); !s) return s;
    out.fuse_options.push_back(item);
    return OkStatus();
  }
  if (auth::IsAuthOption(name)) {
    out.auth_options[name] = value;
    return OkStatus();
  }
  return Bad("unknown option '" + name + "' (see swiftfs --help)");
}

Status ApplyMountOptions(const std::string& list, CliOptions& out) {
  // Items are separated by ','; a '\,' keeps a comma inside a value (as in libfuse).
  std::string item;
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] == '\\' && i + 1 < list.size()) {
      item += list[++i];
    } else if (list[i] == ',') {
      if (auto s = ApplyMountOption(item, out); !s) return s;
      item.clear();
    } else {
      item += list[i];
    }
  }
  return ApplyMountOption(item, out);
}

bool HasDefault(const std::vector<std::string>& options, std::string_view name) {
  for (const auto& o : options) {
    if (o.compare(0, name.size(), name) == 0) return true;
  }
  return false;
}

}  // namespace

Status ParseSource(const std::string& source, core::FsOptions& fs) {
  fs.container.clear();
  fs.prefix.clear();
  if (source.empty() || source == "swiftfs" || source == "none") return OkStatus();
  const size_t slash = source.find('/');
  fs.container = source.substr(0, slash);
  if (fs.container.empty()) {
    return Bad("source '" + source + "': the container name is empty");
  }
  if (slash == std::string::npos) return OkStatus();
  std::string rest = source.substr(slash + 1);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return OkStatus();
  for (const auto& component : Split(rest, '/')) {
    if (component.empty() || component == "." || component == "..") {
      return Bad("source '" + source + "': the prefix has an empty, '.' or '..' component");
    }
  }
  fs.prefix = rest + "/";
  return OkStatus();
}

Result<CliOptions> ParseCommandLine(std::span<const std::string> args,
                                    const ParseDefaults& defaults) {
  CliOptions out;
  out.fs.uid = defaults.uid;
  out.fs.gid = defaults.gid;
  std::vector<std::string> positionals;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      positionals.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "-h" || arg == "--help") {
      out.action = Action::kHelp;
    } else if (arg == "-V" || arg == "--version") {
      out.action = Action::kVersion;
    } else if (arg == "--check-auth") {
      if (out.action == Action::kMount) out.action = Action::kCheckAuth;
    } else if (arg == "-f" || arg == "--foreground") {
      out.foreground = true;
    } else if (arg == "-d" || arg == "--debug") {
      out.debug = true;
      out.foreground = true;
      out.log_level = LogLevel::kDebug;
    } else if (arg == "-s" || arg == "--single-thread") {
      out.single_threaded = true;
    } else if (arg == "-o") {
      if (i + 1 == args.size()) return Bad("option -o needs a value, e.g. -o allow_other");
      if (auto s = ApplyMountOptions(args[++i], out); !s) return s.error();
    } else if (StartsWith(arg, "-o")) {
      if (auto s = ApplyMountOptions(arg.substr(2), out); !s) return s.error();
    } else {
      return Bad("unknown option '" + arg + "' (see swiftfs --help)");
    }
  }
  if (out.debug) out.log_level = LogLevel::kDebug;  // -d wins over log_level=, wherever given

  if (out.action == Action::kHelp || out.action == Action::kVersion) return out;
  if (out.action == Action::kCheckAuth) {
    if (positionals.size() > 1) return Bad("--check-auth takes at most one CONTAINER[/PREFIX]");
    if (!positionals.empty()) out.source = positionals[0];
  } else {
    if (positionals.empty()) return Bad("missing MOUNTPOINT (see swiftfs --help)");
    if (positionals.size() > 2) {
      return Bad("too many arguments: '" + positionals[2] +
                 "' (expected [CONTAINER[/PREFIX]] MOUNTPOINT)");
    }
    out.mountpoint = positionals.back();
    if (positionals.size() == 2) out.source = positionals[0];
  }
  if (auto s = ParseSource(out.source, out.fs); !s) return s.error();

  // Always read-only. The filesystem checks no permissions itself, so the kernel must
  // (that is what makes uid=, gid=, umask= mean something with allow_other). The mount is
  // named after its source unless told otherwise.
  out.fuse_options.push_back("ro");
  if (!HasDefault(out.fuse_options, "default_permissions")) {
    out.fuse_options.push_back("default_permissions");
  }
  if (!HasDefault(out.fuse_options, "fsname=")) {
    std::string fsname = "swiftfs";
    if (!out.fs.container.empty()) fsname += ":" + out.fs.container;
    if (!out.fs.prefix.empty()) fsname += "/" + out.fs.prefix.substr(0, out.fs.prefix.size() - 1);
    out.fuse_options.push_back("fsname=" + fsname);
  }
  if (!HasDefault(out.fuse_options, "subtype=")) out.fuse_options.push_back("subtype=swiftfs");
  return out;
}

}  // namespace swiftfs::cli
