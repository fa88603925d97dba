#pragma once
// Reading a secret (password, application credential secret) from a file, for
// -o password_file= and -o application_credential_secret_file=. Like ssh with a private
// key, we refuse a file others could read: the secret would already be compromised.

#include <string>
#include <string_view>

#include "swiftfs/common/result.h"
#include "swiftfs/common/secret.h"

namespace swiftfs::auth {

// The file's content without one trailing newline. Errors (kConfig, naming `option` and the
// path, never the content): cannot be opened or read, not a regular file, owned by another
// user than the effective one, mode grants any access to group or others (stricter than
// 0600 is fine), empty.
Result<Secret> ReadSecretFile(const std::string& path, std::string_view option);

}  // namespace swiftfs::auth
