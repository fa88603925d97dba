#pragma once
// Texts of --help and --version. Keep --help in step with man/swiftfs.1 (OPTIONS).

#include <string>

namespace swiftfs::cli {

std::string HelpText();
std::string VersionText();

}  // namespace swiftfs::cli
