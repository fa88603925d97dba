// --help and the man page must describe the same options.

#include "cli/help.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "swiftfs/common/version.h"

namespace swiftfs::cli {
namespace {

std::string ManPage() {
  std::ifstream in(std::string(SWIFTFS_SOURCE_DIR) + "/man/swiftfs.1");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Option names written as "name=" or listed after -o in the help text.
std::set<std::string> HelpOptionNames() {
  std::set<std::string> names;
  const std::string help = HelpText();
  std::regex option(R"(([a-z_]+)=)");
  for (auto it = std::sregex_iterator(help.begin(), help.end(), option);
       it != std::sregex_iterator(); ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

TEST(HelpTest, MentionsEveryOptionTheManPageDocuments) {
  const std::string man = ManPage();
  ASSERT_FALSE(man.empty()) << "man/swiftfs.1 not found";
  // roff escapes '-' as '\-' and '_' stays as is.
  for (const auto& name : HelpOptionNames()) {
    EXPECT_NE(man.find(name + "="), std::string::npos)
        << name << "= is in --help, not in the man page";
  }
  for (const char* flag :
       {"list_until_empty", "no_dlo_check", "insecure", "clone_fd", "allow_other",
        "\\-\\-check\\-auth", "\\-\\-foreground", "\\-\\-single\\-thread"}) {
    EXPECT_NE(man.find(flag), std::string::npos) << flag;
  }
}

TEST(HelpTest, HelpListsTheFlags) {
  const std::string help = HelpText();
  for (const char* flag :
       {"--check-auth", "--foreground", "--debug", "--single-thread", "--version", "--help",
        "list_until_empty", "insecure", "clone_fd", "cloud=", "password_file="}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

TEST(HelpTest, VersionNamesSwiftfsAndLibfuse) {
  EXPECT_NE(VersionText().find(std::string("swiftfs ") + kVersion), std::string::npos);
  EXPECT_NE(VersionText().find("libfuse 3."), std::string::npos);
}

}  // namespace
}  // namespace swiftfs::cli
