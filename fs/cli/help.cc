#include "cli/help.h"

#include <fuse_lowlevel.h>

#include "swiftfs/common/version.h"

namespace swiftfs::cli {

std::string HelpText() {
  return R"(usage: swiftfs [OPTIONS] [CONTAINER[/PREFIX]] MOUNTPOINT
       swiftfs --check-auth [OPTIONS] [CONTAINER[/PREFIX]]
       swiftfs SOURCE MOUNTPOINT -o OPTIONS      (as run by mount -t fuse.swiftfs)

Mounts OpenStack Swift object storage read-only: containers are directories, objects are
files, '/' in object names makes pseudo-directories. Without CONTAINER the root lists the
account's containers. SOURCE "swiftfs" or "none" means the whole account.

General options:
  -h, --help              print this help and exit
  -V, --version           print the version and exit
  --check-auth            authenticate, print the session (never the token), exit
  -f, --foreground        stay in the foreground, log to stderr
  -d, --debug             debug logging; implies -f
  -s, --single-thread     serve requests on one thread
  -o OPT[,OPT...]         mount options, below

Filesystem options:
  -o uid=N, gid=N         owner of every file (default: the mounting user)
  -o umask=MODE           octal mask applied to r-x directories / r-- files (default 022)
  -o attr_timeout=SEC     how long attributes are cached (default 60)
  -o entry_timeout=SEC    how long name lookups are cached (default 60)
  -o negative_timeout=SEC how long "no such name" is cached (default 10)
  -o dir_cache_timeout=SEC  how long a directory listing stays fresh (default 60)
  -o max_cached_entries=N bound on cached metadata entries (default 200000)
  -o stream_dir_entries=N read directories of more entries page by page instead of
                          holding them whole (default 50000; 0 never)
  -o list_until_empty     keep listing until an empty page (servers that return short
                          pages early, e.g. Ceph RGW)
  -o no_dlo_check         trust 0-byte listing entries: no HEAD per empty file, but
                          DLO manifests then show as 0 bytes
  -o prefetch_memory=SIZE memory for read-ahead of all open files (e.g. 256M)
  -o prefetch_part=SIZE   bytes per read-ahead GET (default 16M)
  -o prefetch_window=SIZE read-ahead of one sequential reader, at most (default 64M)
  -o prefetch_threads=N   read-ahead GETs in flight, all files together (default 4)
  -o log_level=LEVEL      debug, info (default), warning, error, off
  -o max_threads=N        upper bound on FUSE worker threads (default 16)
  -o clone_fd             one /dev/fuse descriptor per worker thread

Connection options:
  -o connect_timeout=SEC  TCP/TLS connect timeout (default 10)
  -o op_timeout=SEC       deadline of one Swift operation, retries included (default 60)
  -o cacert=FILE          PEM bundle of CAs to trust (also OS_CACERT)
  -o insecure             do not verify TLS certificates (dangerous)

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
  -o ro                   accepted; mounts are always read-only (rw is ignored)

Exit status: 0 success, 1 usage, configuration or authentication error, 2 mount failure.
See swiftfs(1) for the environment, clouds.yaml, semantics and examples.
)";
}

std::string VersionText() {
  return std::string("swiftfs ") + kVersion + "\nlibfuse " + fuse_pkgversion() + " (FUSE API " +
         std::to_string(FUSE_USE_VERSION) + ")\n";
}

}  // namespace swiftfs::cli
