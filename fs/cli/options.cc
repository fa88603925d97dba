// Command-line parsing: switches and positionals in any order (mount.fuse3 puts -o after the
// positionals), then each -o item classified as ours (option_table.cc), FUSE's, ignorable,
// or auth's.

#include "swiftfs/cli/options.h"

#include <array>
#include <string_view>

#include "cli/option_spec.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::cli {
namespace {

Error Bad(const std::string& what) { return MakeError(ErrorCode::kInvalidArgument, what); }

// Kernel and libfuse options passed through to fuse_session_new as given.
// "ro" is ours (the option table) and "rw" its opposite (below): they set
// FsOptions::read_only, from which AddDefaultFuseOptions forwards the kernel's "ro".
constexpr std::array<std::string_view, 23> kFuseFlags = {
    "allow_other",  "allow_root",    "default_permissions",
    "auto_unmount", "dev",           "nodev",
    "suid",         "nosuid",        "exec",
    "noexec",       "atime",         "noatime",
    "nodiratime",   "relatime",      "norelatime",
    "strictatime",  "nostrictatime", "sync",
    "async",        "dirsync",       "lazytime",
    "nolazytime",   "debug"};
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

// Applies one "name" or "name=value" item of -o: ours (the table), then the ones that are
// not ours.
Status ApplyMountOption(const std::string& item, CliOptions& out) {
  const size_t eq = item.find('=');
  const std::string name = item.substr(0, eq);
  const bool has_value = eq != std::string::npos;
  const std::string value = has_value ? item.substr(eq + 1) : "";

  if (name.empty()) return OkStatus();  // "a,,b"
  if (const OptionSpec* spec = FindMountOption(name)) {
    return ApplyOption(*spec, has_value, value, out);
  }
  // The opposite of the table's "ro" and the default; mount(8) passes it unasked.
  if (name == "rw") {
    if (has_value) return Bad("option rw takes no value");
    out.fs.read_only = false;
    return OkStatus();
  }
  if (In(kIgnored, name) || StartsWith(name, "x-") || name == "comment") return OkStatus();
  if (In(kFuseFlags, name)) {
    if (has_value) return Bad("option " + name + " takes no value");
    if (name == "debug") {
      out.fuse_debug = true;
    } else {
      out.fuse_options.push_back(name);
    }
    return OkStatus();
  }
  if (In(kFuseValueOptions, name)) {
    if (value.empty()) return Bad("option " + name + "= needs a value");
    out.fuse_options.push_back(item);
    return OkStatus();
  }
  if (auth::IsAuthOption(name)) {
    out.auth_options[name] = value;
    return OkStatus();
  }
  return Bad("unknown option '" + name + "' (see swiftfs --help)");
}

bool HasDefault(const std::vector<std::string>& options, std::string_view name) {
  for (const auto& o : options) {
    if (o.compare(0, name.size(), name) == 0) return true;
  }
  return false;
}

}  // namespace

Status ApplyMountOptions(std::string_view list, CliOptions& out) {
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

namespace {

// Switches and -o lists into `out`, everything else into `positionals`, in any order.
Status ApplyArguments(std::span<const std::string> args, CliOptions& out,
                      std::vector<std::string>& positionals) {
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      positionals.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (const SwitchSpec* flag = FindSwitch(arg)) {
      flag->apply(out);
    } else if (arg == "-o") {
      if (i + 1 == args.size()) return Bad("option -o needs a value, e.g. -o allow_other");
      if (auto s = ApplyMountOptions(args[++i], out); !s) return s;
    } else if (StartsWith(arg, "-o")) {
      if (auto s = ApplyMountOptions(arg.substr(2), out); !s) return s;
    } else {
      return Bad("unknown option '" + arg + "' (see swiftfs --help)");
    }
  }
  if (out.debug) out.log_level = LogLevel::kDebug;  // -d wins over log_level=, wherever given
  return OkStatus();
}

// The positionals of a mount ([CONTAINER[/PREFIX]] MOUNTPOINT) or of --check-auth.
Status AssignPositionals(const std::vector<std::string>& positionals, CliOptions& out) {
  if (out.action == Action::kCheckAuth) {
    if (positionals.size() > 1) return Bad("--check-auth takes at most one CONTAINER[/PREFIX]");
    if (!positionals.empty()) out.source = positionals[0];
  } else if (out.action == Action::kCollectOrphans) {
    // Segments are kept per container (CONTAINER_segments), whatever the prefix mounted.
    if (positionals.size() != 1 || positionals[0].empty() ||
        positionals[0].find('/') != std::string::npos) {
      return Bad("--collect-orphans takes one CONTAINER");
    }
    out.source = positionals[0];
  } else {
    if (positionals.empty()) return Bad("missing MOUNTPOINT (see swiftfs --help)");
    if (positionals.size() > 2) {
      return Bad("too many arguments: '" + positionals[2] +
                 "' (expected [CONTAINER[/PREFIX]] MOUNTPOINT)");
    }
    out.mountpoint = positionals.back();
    if (positionals.size() == 2) out.source = positionals[0];
  }
  return ParseSource(out.source, out.fs);
}

// The kernel's "ro" flag exactly when the mount is read-only (-o ro), so that most writes
// fail in the kernel before reaching us. The filesystem checks no permissions itself, so the kernel
// must (that is what makes uid=, gid=, umask= mean something with allow_other). The mount is named
// after its source unless told otherwise.
void AddDefaultFuseOptions(CliOptions& out) {
  if (out.fs.read_only) out.fuse_options.push_back("ro");
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
}

}  // namespace

Result<CliOptions> ParseCommandLine(std::span<const std::string> args,
                                    const ParseDefaults& defaults) {
  CliOptions out;
  out.fs.uid = defaults.uid;
  out.fs.gid = defaults.gid;
  std::vector<std::string> positionals;
  if (auto s = ApplyArguments(args, out, positionals); !s) return s.error();
  if (out.action == Action::kHelp || out.action == Action::kVersion) return out;
  if (auto s = AssignPositionals(positionals, out); !s) return s.error();
  if (out.disk_cache.fetch_on_stat && out.disk_cache.dir.empty()) {
    // Without a disk cache the bytes would have nowhere to wait for the read.
    return Bad("option fetch_on_stat needs cache_dir=PATH");
  }
  AddDefaultFuseOptions(out);
  return out;
}

}  // namespace swiftfs::cli
