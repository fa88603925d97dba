#pragma once
// Symlink targets: Swift stores "container/object"; a POSIX symlink needs a path. A target
// inside the mount root becomes a path relative to the link's directory, so it resolves
// wherever the filesystem is mounted; a target outside it (another container, outside the
// mounted prefix, another account, or through a name the mount cannot show) becomes the
// absolute Swift path "/container/object", which is what the link means even though it
// will usually dangle. A target that does not exist simply dangles, as on any filesystem.

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

}  // namespace swiftfs::core
