#pragma once
// Symlink targets: Swift stores "container/object"; a POSIX symlink needs a path. A target
// inside the mount root becomes a path relative to the link's directory, so it resolves
// wherever the filesystem is mounted.
//
// A target outside the mount (another container when one container or prefix is mounted,
// outside the mounted prefix, another account, or a name the mount cannot show such as one
// with ".." or an empty component) must never become an absolute host path: tools that
// follow links would read the host (`-> /etc/passwd`). Such a link reads as
// "swift:/container/object" ("swift:other-account/container/object" for another account):
// a relative path whose first component "swift:" is looked up in the link's own directory,
// so it dangles, and it contains no ".." component, so it can never climb out of the mount.
// Invariant (fuzzed): every text MakeLinkTarget returns is relative and never climbs above
// the mount root.

#include <string>
#include <string_view>

namespace swiftfs::core {

// Where the mount root is: the account (container empty), a container, or a prefix
// ("" or ending in '/') inside one.
struct MountRoot {
  std::string container;
  std::string prefix;
};

// The readlink() text of a link stored at `link_container`/`link_key` whose Swift target
// is `target` ("container/object"). `foreign_account`: the target is in another account.
std::string MakeLinkTarget(const MountRoot& root, std::string_view link_container,
                           std::string_view link_key, std::string_view target,
                           bool foreign_account = false);

// The text for a target outside the mount (see above); public for tests.
std::string OutsideLinkTarget(std::string_view target, bool foreign_account);

}  // namespace swiftfs::core
