// --help and the man page must describe the same options: every entry of the option table
// (fs/cli/option_table.cc) with the same default, every switch, and nothing the parser
// would refuse.

#include "cli/help.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/option_spec.h"
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/common/strings.h"
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

TEST(HelpTest, EveryOptionInHelpIsParsed) {
  // Written text (auth, FUSE sections) may not name an option the parser refuses.
  for (const auto& name : HelpOptionNames()) {
    CliOptions options;
    Status applied = ApplyMountOptions(name + "=1", options);
    EXPECT_TRUE(applied.ok() || applied.error().message.find("unknown option") == std::string::npos)
        << name << "= is in --help but unknown to the parser";
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

// One ".TP" entry of the man page: its tag line and the paragraph below it.
struct ManEntry {
  std::string tag;
  std::string text;
  std::string subsection;  // the .SS it is in
};

std::vector<ManEntry> ManEntries(const std::string& man) {
  std::vector<ManEntry> entries;
  std::istringstream in(man);
  std::string line;
  std::string subsection;
  ManEntry* open = nullptr;
  bool tag_next = false;
  while (std::getline(in, line)) {
    if (StartsWith(line, ".SS ") || StartsWith(line, ".SH ")) {
      subsection = line.substr(4);
      open = nullptr;
    } else if (line == ".TP") {
      tag_next = true;
      open = nullptr;
    } else if (tag_next) {
      entries.push_back({line, "", subsection});
      open = &entries.back();
      tag_next = false;
    } else if (open != nullptr) {
      open->text += line + "\n";
    }
  }
  return entries;
}

// The option names a tag line documents: "uid" and "gid" in `.BI uid= N\fR,\fP " " gid= N`,
// "insecure" in `.B insecure`.
std::set<std::string> TagNames(const std::string& tag) {
  std::set<std::string> names;
  std::regex valued(R"(([a-z_]+)=)");
  for (auto it = std::sregex_iterator(tag.begin(), tag.end(), valued); it != std::sregex_iterator();
       ++it) {
    names.insert((*it)[1]);
  }
  std::smatch flag;
  if (std::regex_match(tag, flag, std::regex(R"(\.B ([a-z_]+))"))) names.insert(flag[1]);
  return names;
}

const ManEntry* FindEntry(const std::vector<ManEntry>& entries, const std::string& name) {
  for (const auto& e : entries) {
    if (TagNames(e.tag).count(name) != 0) return &e;
  }
  return nullptr;
}

// "default 60" (or "Default 60") as a whole word: "default 600" does not count.
bool StatesDefault(const std::string& text, const std::string& shown) {
  const std::string lower = ToLower(text);
  const std::string wanted = "default " + ToLower(shown);
  for (size_t at = lower.find(wanted); at != std::string::npos; at = lower.find(wanted, at + 1)) {
    const size_t end = at + wanted.size();
    if (end == lower.size() || !std::isalnum(static_cast<unsigned char>(lower[end]))) {
      return true;
    }
  }
  return false;
}

TEST(HelpTest, ManDocumentsEveryTableOptionWithTheSameDefault) {
  const auto entries = ManEntries(ManPage());
  ASSERT_FALSE(entries.empty()) << "man/swiftfs.1 not found";
  for (const OptionSpec& spec : MountOptionTable()) {
    const std::string name(spec.name);
    const ManEntry* entry = FindEntry(entries, name);
    ASSERT_NE(entry, nullptr) << name << " has no .TP entry in man/swiftfs.1";
    if (spec.kind == OptionKind::kFlag) {
      EXPECT_EQ(entry->tag, ".B " + name) << "a flag is tagged .B " << name;
      continue;
    }
    EXPECT_NE(entry->tag.find(name + "= "), std::string::npos) << entry->tag;
    if (!spec.default_text.empty()) continue;  // decided at run time, worded freely
    EXPECT_TRUE(StatesDefault(entry->text, ShownDefault(spec)))
        << "man/swiftfs.1 should say \"default " << ShownDefault(spec) << "\" for " << name
        << "=, as --help does; it says:\n"
        << entry->text;
  }
}

TEST(HelpTest, ManOptionsOfOursAreAllParsed) {
  // Everything the man page documents as a filesystem or connection option is in the table
  // or is an auth option: no documented option that the parser would call unknown.
  for (const auto& entry : ManEntries(ManPage())) {
    if (entry.subsection != "Filesystem options" && entry.subsection != "Connection options") {
      continue;
    }
    for (const auto& name : TagNames(entry.tag)) {
      EXPECT_TRUE(FindMountOption(name) != nullptr || auth::IsAuthOption(name))
          << name << " is in the man page but neither in the option table nor an auth option";
    }
  }
}

TEST(HelpTest, HelpShowsEveryTableOptionWithItsDefault) {
  const std::string help = HelpText();
  for (const OptionSpec& spec : MountOptionTable()) {
    std::string left = "-o " + std::string(spec.name);
    if (spec.kind != OptionKind::kFlag) left += "=" + std::string(Metavar(spec.kind));
    const size_t at = help.find(left + " ");
    ASSERT_NE(at, std::string::npos) << left;
    const std::string shown = ShownDefault(spec);
    if (shown.empty()) continue;
    // The default closes the option's description, which may run over several lines.
    const size_t next = help.find("\n  -", at);
    EXPECT_NE(help.substr(at, next - at).find("default"), std::string::npos) << left;
    EXPECT_NE(help.substr(at, next - at).find(shown + ")"), std::string::npos) << left;
  }
}

TEST(HelpTest, ManAndHelpListEverySwitch) {
  const std::string man = ManPage();
  const std::string help = HelpText();
  // roff writes '-' as '\-'.
  auto roff = [](std::string_view s) {
    std::string out;
    for (char c : s) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
  };
  for (const SwitchSpec& flag : SwitchTable()) {
    EXPECT_NE(man.find(roff(flag.long_name)), std::string::npos) << flag.long_name;
    EXPECT_NE(help.find(std::string(flag.long_name)), std::string::npos) << flag.long_name;
    if (flag.short_name.empty()) continue;
    EXPECT_NE(man.find(roff(flag.short_name) + " \", \""), std::string::npos) << flag.short_name;
    EXPECT_NE(help.find(std::string(flag.short_name) + ", "), std::string::npos) << flag.short_name;
  }
}

TEST(HelpTest, VersionNamesSwiftfsAndLibfuse) {
  EXPECT_NE(VersionText().find(std::string("swiftfs ") + kVersion), std::string::npos);
  EXPECT_NE(VersionText().find("libfuse 3."), std::string::npos);
}

}  // namespace
}  // namespace swiftfs::cli
