#include "auth/secret_file.h"

#include <gtest/gtest.h>

#include "unit/auth/temp_dir.h"

namespace swiftfs::testing {
namespace {

TEST(SecretFileTest, ReadsA0600FileWithoutTheTrailingNewline) {
  TempDir dir;
  auto secret = auth::ReadSecretFile(dir.Write("pw", "s3cret-in-file\n", 0600), "password_file");
  ASSERT_TRUE(secret.ok()) << secret.error().ToString();
  EXPECT_EQ(secret->Reveal(), "s3cret-in-file");
  auto strict = auth::ReadSecretFile(dir.Write("pw2", "x\r\n", 0400), "password_file");
  ASSERT_TRUE(strict.ok());
  EXPECT_EQ(strict->Reveal(), "x");
}

TEST(SecretFileTest, RefusesFilesOthersCanReach) {
  TempDir dir;
  for (mode_t mode : {0644, 0640, 0604, 0660, 0602}) {
    const std::string path = dir.Write("pw" + std::to_string(mode), "s3cret-in-file", mode);
    auto secret = auth::ReadSecretFile(path, "password_file");
    ASSERT_FALSE(secret.ok()) << std::oct << mode;
    EXPECT_EQ(secret.error().code, ErrorCode::kConfig);
    EXPECT_NE(secret.error().message.find("chmod 600"), std::string::npos);
    EXPECT_NE(secret.error().message.find("-o password_file="), std::string::npos);
    EXPECT_EQ(secret.error().message.find("s3cret-in-file"), std::string::npos);
  }
}

TEST(SecretFileTest, RefusesFilesOfAnotherOwner) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chown the file to another user";
  TempDir dir;
  const std::string path = dir.Write("pw", "s3cret", 0600);
  ASSERT_EQ(chown(path.c_str(), 65534, 65534), 0);
  auto secret = auth::ReadSecretFile(path, "password_file");
  ASSERT_FALSE(secret.ok());
  EXPECT_NE(secret.error().message.find("owned by uid 65534"), std::string::npos);
}

TEST(SecretFileTest, MissingEmptyAndDirectory) {
  TempDir dir;
  EXPECT_FALSE(auth::ReadSecretFile(dir.path() + "/absent", "password_file").ok());
  EXPECT_FALSE(auth::ReadSecretFile(dir.Write("empty", "", 0600), "password_file").ok());
  EXPECT_FALSE(auth::ReadSecretFile(dir.path(), "password_file").ok());
}

}  // namespace
}  // namespace swiftfs::testing
