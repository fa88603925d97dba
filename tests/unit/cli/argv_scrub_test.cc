#include "cli/argv_scrub.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace swiftfs::cli {
namespace {

// Owns argv-like storage and shows each argument as /proc/PID/cmdline would (NULs kept).
class Argv {
 public:
  explicit Argv(std::vector<std::string> args) {
    for (auto& a : args) storage_.emplace_back(a.begin(), a.end()), storage_.back().push_back('\0');
    for (auto& s : storage_) pointers_.push_back(s.data());
  }
  int argc() const { return static_cast<int>(pointers_.size()); }
  char** argv() { return pointers_.data(); }
  std::string Raw(int i) const { return std::string(storage_[i].begin(), storage_[i].end() - 1); }
  std::string Str(int i) const { return std::string(storage_[i].data()); }

 private:
  std::vector<std::vector<char>> storage_;
  std::vector<char*> pointers_;
};

TEST(ArgvScrubTest, RemovesPasswordFromSeparateDashO) {
  Argv a({"swiftfs", "c", "/mnt", "-o", "uid=1,password=hunter2,gid=2"});
  ScrubSecretOptions(a.argc(), a.argv());
  EXPECT_EQ(a.Str(4), "uid=1,password=,gid=2");
  EXPECT_EQ(a.Raw(4).find("hunter2"), std::string::npos);
  EXPECT_EQ(a.Raw(4).size(), std::string("uid=1,password=hunter2,gid=2").size());
  EXPECT_EQ(a.Str(1), "c");
}

TEST(ArgvScrubTest, RemovesFromJoinedDashOAndEveryList) {
  Argv a({"swiftfs", "-opassword=a\\,b", "/mnt", "-o", "password=second"});
  ScrubSecretOptions(a.argc(), a.argv());
  EXPECT_EQ(a.Str(1), "-opassword=");
  EXPECT_EQ(a.Str(4), "password=");
  EXPECT_EQ(a.Raw(1).find('b'), std::string::npos);
}

TEST(ArgvScrubTest, LeavesOtherOptionsAlone) {
  Argv a({"swiftfs", "-o", "password_file=/etc/pw,username=password", "password=x"});
  ScrubSecretOptions(a.argc(), a.argv());
  EXPECT_EQ(a.Str(2), "password_file=/etc/pw,username=password");
  EXPECT_EQ(a.Str(3), "password=x");  // a positional, not an option list
}

TEST(ArgvScrubTest, SecretNames) {
  for (const char* n : {"password", "application_credential_secret", "auth_token", "key"}) {
    EXPECT_TRUE(IsSecretOptionName(n, std::strlen(n))) << n;
  }
  for (const char* n : {"password_file", "username", "application_credential_secret_file"}) {
    EXPECT_FALSE(IsSecretOptionName(n, std::strlen(n))) << n;
  }
}

TEST(ArgvScrubTest, TrailingDashOIsHarmless) {
  Argv a({"swiftfs", "/mnt", "-o"});
  ScrubSecretOptions(a.argc(), a.argv());
  EXPECT_EQ(a.Str(2), "-o");
}

}  // namespace
}  // namespace swiftfs::cli
