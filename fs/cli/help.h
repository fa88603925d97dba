#pragma once
// Texts of --help and --version. The options of swiftfs's own come from the option table
// (option_table.cc); tests/unit/cli/help_test.cc checks that man/swiftfs.1 documents each
// with the same default.

#include <string>

namespace swiftfs::cli {

std::string HelpText();
std::string VersionText();

}  // namespace swiftfs::cli
