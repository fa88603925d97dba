#pragma once
// The CA bundle path (-o cacert=, OS_CACERT, clouds.yaml cacert), made absolute when the
// configuration is loaded: the daemon changes directory to / when it detaches, after which a
// relative path would name another file or none, and the first TLS handshake would fail long
// after the mount seemed to succeed.

#include <string>

#include "swiftfs/common/result.h"

namespace swiftfs::auth {

// `path` made absolute against `base_dir` (the current directory when empty) and normalised.
// Empty `path`: empty (use the system's CAs). kConfig, naming `origin` (e.g. "-o cacert")
// and the path, when it does not exist, is not a regular file or cannot be read.
Result<std::string> ResolveCaFile(const std::string& path, const std::string& origin,
                                  const std::string& base_dir = {});

}  // namespace swiftfs::auth
