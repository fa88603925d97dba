// StatLookahead: runs of files handed out per directory, their neighbours, and the bounds.
#include "core/stat_lookahead.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace swiftfs::core {
namespace {

constexpr swift::WallTime kT{std::chrono::seconds(1'700'000'000)};

std::vector<StatLookahead::File> Files(int first, int count) {
  std::vector<StatLookahead::File> files;
  for (int i = first; i < first + count; ++i) {
    files.push_back(
        {"f" + std::to_string(i), "etag" + std::to_string(i), kT, static_cast<uint64_t>(1000 + i)});
  }
  return files;
}

cache::VersionKey Key(int i, const std::string& prefix = "d/") {
  return cache::VersionKey{"c", prefix + "f" + std::to_string(i), "etag" + std::to_string(i), kT};
}

std::vector<std::string> Names(const std::vector<WantedVersion>& wanted) {
  std::vector<std::string> names;
  names.reserve(wanted.size());
  for (const auto& one : wanted) names.push_back(one.key.name);
  return names;
}

TEST(StatLookaheadTest, FindsAFileHandedOutAndTheOnesAfterIt) {
  StatLookahead ahead;
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  auto at = ahead.Find("d/", Key(3));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->index, 3u);
  ASSERT_TRUE(at->before.has_value());
  EXPECT_EQ(at->before->name, "d/f2");
  EXPECT_EQ(Names(ahead.After("c", "d/", *at, 3)),
            (std::vector<std::string>{"d/f4", "d/f5", "d/f6"}));
  EXPECT_EQ(ahead.After("c", "d/", *at, 100).size(), 6u);  // to the end of what was handed out
  EXPECT_EQ(ahead.After("c", "d/", *at, 1).at(0).file_size, 1004u);  // the listed size
  auto first = ahead.Find("d/", Key(0));
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->before.has_value());
}

TEST(StatLookaheadTest, AnotherVersionOrDirectoryIsNotFound) {
  StatLookahead ahead;
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  cache::VersionKey newer = Key(3);
  newer.etag = "other";
  EXPECT_FALSE(ahead.Find("d/", newer).has_value());
  EXPECT_FALSE(ahead.Find("e/", Key(3, "e/")).has_value());
  EXPECT_FALSE(ahead.Find("d/", Key(30)).has_value());
}

TEST(StatLookaheadTest, AReplyThatGoesOnExtendsTheRunOverlapsIncluded) {
  StatLookahead ahead;
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  // The kernel asks again from where its reader stopped: f8 and f9 come twice.
  ahead.HandedOut("c", "d/", 10, 22, Files(8, 12));
  auto at = ahead.Find("d/", Key(9));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->index, 9u);
  EXPECT_EQ(Names(ahead.After("c", "d/", *at, 2)), (std::vector<std::string>{"d/f10", "d/f11"}));
}

TEST(StatLookaheadTest, AReplyElsewhereStartsANewRun) {
  StatLookahead ahead;
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  auto old = ahead.Find("d/", Key(3));
  ASSERT_TRUE(old.has_value());
  ahead.HandedOut("c", "d/", 500, 510, Files(500, 10));  // a seek
  EXPECT_FALSE(ahead.Find("d/", Key(3)).has_value());
  EXPECT_TRUE(ahead.After("c", "d/", *old, 5).empty());  // not the run it was found in
  auto at = ahead.Find("d/", Key(500));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->index, 0u);
}

TEST(StatLookaheadTest, AReplyFromTheStartIsANewReader) {
  StatLookahead ahead;
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  auto old = ahead.Find("d/", Key(3));
  ASSERT_TRUE(old.has_value());
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  auto at = ahead.Find("d/", Key(3));
  ASSERT_TRUE(at.has_value());
  EXPECT_NE(at->run, old->run);
}

TEST(StatLookaheadTest, ARunWhoseFilesAreStatedSaysSoToTheNextReply) {
  StatLookahead ahead;
  EXPECT_FALSE(ahead.HandedOut("c", "d/", 0, 12, Files(0, 10)));
  EXPECT_FALSE(ahead.HandedOut("c", "d/", 12, 22, Files(10, 10)));  // nothing stat'ed
  ASSERT_TRUE(ahead.Find("d/", Key(12)).has_value());
  EXPECT_TRUE(ahead.HandedOut("c", "d/", 22, 32, Files(20, 10)));
  // A new reader starts unstat'ed.
  EXPECT_FALSE(ahead.HandedOut("c", "d/", 0, 12, Files(0, 10)));
}

TEST(StatLookaheadTest, OldFilesAreDroppedIndexesStay) {
  StatLookahead ahead(2, 5);
  ahead.HandedOut("c", "d/", 0, 8, Files(0, 8));
  EXPECT_FALSE(ahead.Find("d/", Key(2)).has_value());
  auto at = ahead.Find("d/", Key(3));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->index, 3u);
  EXPECT_FALSE(at->before.has_value());  // f2 was dropped
  EXPECT_EQ(ahead.After("c", "d/", *at, 10).size(), 4u);
}

TEST(StatLookaheadTest, TheLeastRecentlyNotedDirectoryIsForgotten) {
  StatLookahead ahead(2, 100);
  ahead.HandedOut("c", "a/", 0, 3, Files(0, 1));
  ahead.HandedOut("c", "b/", 0, 3, Files(0, 1));
  ahead.HandedOut("c", "a/", 3, 4, Files(1, 1));  // a/ noted again
  ahead.HandedOut("c", "e/", 0, 3, Files(0, 1));
  EXPECT_TRUE(ahead.Find("a/", Key(0, "a/")).has_value());
  EXPECT_FALSE(ahead.Find("b/", Key(0, "b/")).has_value());
  EXPECT_TRUE(ahead.Find("e/", Key(0, "e/")).has_value());
}

TEST(StatLookaheadTest, ZeroDirectoriesRemembersNothing) {
  StatLookahead ahead(0, 100);
  ahead.HandedOut("c", "d/", 0, 12, Files(0, 10));
  EXPECT_FALSE(ahead.Find("d/", Key(3)).has_value());
}

}  // namespace
}  // namespace swiftfs::core
