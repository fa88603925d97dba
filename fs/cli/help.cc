// --help and --version. The switches and our own -o options are printed from the tables in
// option_table.cc, each with the default read from the code; the authentication and FUSE
// sections are text (those options are the auth layer's and libfuse's).

#include "cli/help.h"

#include <fuse_lowlevel.h>

#include "cli/option_spec.h"
#include "swiftfs/common/version.h"

namespace swiftfs::cli {

namespace {

constexpr size_t kHelpColumn = 26;  // where the description starts

// "  LEFT      help", continuation lines of `help` (after '\n') under the first.
void AddLine(std::string& out, const std::string& left, std::string_view help) {
  out += left;
  out += left.size() < kHelpColumn ? std::string(kHelpColumn - left.size(), ' ') : " ";
  for (char c : help) {
    out += c;
    if (c == '\n') out += std::string(kHelpColumn, ' ');
  }
  out += '\n';
}

void AddOptions(std::string& out, OptionSection section) {
  for (const OptionSpec& spec : MountOptionTable()) {
    if (spec.section != section) continue;
    std::string left = "  -o " + std::string(spec.name);
    if (spec.kind != OptionKind::kFlag) left += "=" + std::string(Metavar(spec.kind));
    std::string help(spec.help);
    // "(default 60)", or "(default: the mounting user)" for a default in words.
    if (const std::string shown = ShownDefault(spec); !shown.empty()) {
      help += (spec.default_text.empty() ? " (default " : " (default: ") + shown + ")";
    }
    AddLine(out, left, help);
  }
}

}  // namespace

std::string HelpText() {
  std::string out = R"(usage: swiftfs [OPTIONS] [CONTAINER[/PREFIX]] MOUNTPOINT
       swiftfs --check-auth [OPTIONS] [CONTAINER[/PREFIX]]
       swiftfs SOURCE MOUNTPOINT -o OPTIONS      (as run by mount -t fuse.swiftfs)

Mounts OpenStack Swift object storage read-write (read-only with -o ro): containers are
directories, objects are files, '/' in object names makes pseudo-directories. Without CONTAINER the root lists the
account's containers. SOURCE "swiftfs" or "none" means the whole account.

General options:
)";
  for (const SwitchSpec& flag : SwitchTable()) {
    const std::string left = flag.short_name.empty() ? "  " + std::string(flag.long_name)
                                                     : "  " + std::string(flag.short_name) + ", " +
                                                           std::string(flag.long_name);
    AddLine(out, left, flag.help);
  }
  AddLine(out, "  -o OPT[,OPT...]", "mount options, below");
  out += "\nFilesystem options:\n";
  AddOptions(out, OptionSection::kFilesystem);
  out += "\nConnection options:\n";
  AddOptions(out, OptionSection::kConnection);
  // Read by the auth layer (auth::IsAuthOption), like the options of the next section.
  AddLine(out, "  -o cacert=FILE", "PEM bundle of CAs to trust (also OS_CACERT)");
  out += R"(
Authentication options (override OS_* variables, which override clouds.yaml):
  -o cloud=NAME           use cloud NAME from clouds.yaml (also OS_CLOUD)
  -o auth_url=URL         identity endpoint: .../v3, .../v2.0, or Swift .../auth/v1.0
  -o auth_version=V       1, 2 (v2.0) or 3; default: from the URL
  -o auth_type=TYPE       password, v3applicationcredential, token, ...
  -o username=NAME, user_id=ID
  -o password_file=FILE   read the password from FILE (mode 0600 or stricter)
  -o password=PASS        works, but is visible to other users in ps: avoid
  -o project_name=NAME, project_id=ID   (tenant_name=, tenant_id= for v2.0)
  -o user_domain_name=NAME, user_domain_id=ID
  -o project_domain_name=NAME, project_domain_id=ID
  -o application_credential_id=ID, application_credential_name=NAME
  -o application_credential_secret_file=FILE
  -o region=NAME          object-store region (required when the catalog has several)
  -o interface=IF         public (default), internal or admin
  -o storage_url=URL      use this storage URL instead of the catalog's

FUSE options (passed to the kernel):
  -o allow_other, allow_root, default_permissions (always on), auto_unmount,
     fsname=NAME, subtype=NAME, max_read=N, nodev, nosuid, noexec, noatime, ...
  -o debug                libfuse's trace of every request

Exit status: 0 success, 1 usage, configuration or authentication error, 2 mount failure.
See swiftfs(1) for the environment, clouds.yaml, semantics and examples.
)";
  return out;
}

std::string VersionText() {
  return std::string("swiftfs ") + kVersion + "\nlibfuse " + fuse_pkgversion() + " (FUSE API " +
         std::to_string(FUSE_USE_VERSION) + ")\n";
}

}  // namespace swiftfs::cli
