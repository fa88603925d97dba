// LocalChanges: the overlay of this mount's own changes on Swift listings that lag; and
// DirectoryState merging it into what lookups and readdirs see.
#include "core/local_changes.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/directory_state.h"
#include "support/fake_clock.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

using namespace std::chrono_literals;

ListingPtr MakeListing(std::vector<ListingEntry> entries,
                       std::chrono::steady_clock::time_point fetched_at) {
  DirectoryListingBuilder builder;
  for (ListingEntry& entry : entries) builder.Add(std::move(entry), "");
  return std::move(builder).Build(fetched_at);
}

ListingEntry File(const std::string& name, const std::string& etag, swift::WallTime mtime = {}) {
  ListingEntry entry;
  entry.name = name;
  entry.etag = etag;
  entry.size = 3;
  entry.mtime = mtime;
  return entry;
}

ListingEntry Dir(const std::string& name) {
  ListingEntry entry;
  entry.name = name;
  entry.kind = EntryKind::kDirectory;
  return entry;
}

std::vector<std::string> NamesOf(const DirectoryListing& listing) {
  std::vector<std::string> names;
  for (const ListingEntry& entry : listing.entries()) names.push_back(entry.name);
  return names;
}

ObjectAttrs Written(const std::string& etag, uint64_t size = 3) {
  ObjectAttrs attrs;
  attrs.etag = etag;
  attrs.size = size;
  return attrs;
}

class LocalChangesTest : public ::testing::Test {
 protected:
  testing::FakeClock clock_;
  LocalChanges changes_{clock_, 100s, 4};
};

TEST(ListedNameTest, KeysMapToTheDirectoryAndComponentAListingShows) {
  ListedName file = ListedNameOf("c", "a/b/f");
  EXPECT_EQ(file.dir_key, "c/a/b/");
  EXPECT_EQ(file.name, "f");
  EXPECT_FALSE(file.directory);
  ListedName dir = ListedNameOf("c", "a/d/");
  EXPECT_EQ(dir.dir_key, "c/a/");
  EXPECT_EQ(dir.name, "d");
  EXPECT_TRUE(dir.directory);
  ListedName top = ListedNameOf("c", "f");
  EXPECT_EQ(top.dir_key, "c/");
  EXPECT_EQ(top.name, "f");
  ListedName container = ListedNameOf("c", "");
  EXPECT_EQ(container.dir_key, "");  // the account root
  EXPECT_EQ(container.name, "c");
  EXPECT_TRUE(container.directory);
}

TEST_F(LocalChangesTest, AListingThatLacksAWrittenFileShowsIt) {
  ListingPtr lagging = MakeListing({File("old", "e0")}, clock_.Monotonic());
  changes_.NoteWritten("c", "d/new", Written("e1", 7));
  ListingPtr merged = changes_.Apply("c/d/", lagging);
  EXPECT_EQ(NamesOf(*merged), (std::vector<std::string>{"new", "old"}));
  const ListingEntry* added = merged->Find("new");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->size, 7u);
  EXPECT_EQ(added->etag, "e1");
  EXPECT_FALSE(added->size_unverified);
  EXPECT_EQ(changes_.size(), 1u);  // the listing did not agree: still remembered
  EXPECT_EQ(changes_.Apply("c/other/", lagging), lagging);  // other directories untouched
}

TEST_F(LocalChangesTest, AListingShowingTheOldVersionShowsOurs) {
  ListingPtr lagging = MakeListing({File("f", "old-etag")}, clock_.Monotonic());
  changes_.NoteWritten("c", "f", Written("new-etag", 9));
  ListingPtr merged = changes_.Apply("c/", lagging);
  ASSERT_EQ(merged->size(), 1u);
  EXPECT_EQ(merged->Find("f")->etag, "new-etag");
  EXPECT_EQ(merged->Find("f")->size, 9u);
}

TEST_F(LocalChangesTest, AListingThatStillShowsARemovedNameHidesIt) {
  ListingPtr lagging = MakeListing({File("gone", "e"), File("kept", "e")}, clock_.Monotonic());
  changes_.NoteRemoved("c", "gone");
  EXPECT_EQ(NamesOf(*changes_.Apply("c/", lagging)), (std::vector<std::string>{"kept"}));
  EXPECT_EQ(changes_.size(), 1u);
}

TEST_F(LocalChangesTest, ARemovedFileDoesNotHideADirectoryOfTheSameName) {
  ListingPtr listing = MakeListing({Dir("x")}, clock_.Monotonic());
  changes_.NoteRemoved("c", "x");
  EXPECT_EQ(NamesOf(*changes_.Apply("c/", listing)), (std::vector<std::string>{"x"}));
}

TEST_F(LocalChangesTest, CreatedAndRemovedDirectoriesAndContainers) {
  changes_.NoteDirectory("c", "a/new/");
  changes_.NoteRemoved("c", "a/old/");
  ListingPtr lagging = MakeListing({Dir("old")}, clock_.Monotonic());
  EXPECT_EQ(NamesOf(*changes_.Apply("c/a/", lagging)), (std::vector<std::string>{"new"}));
  EXPECT_EQ(changes_.Apply("c/a/", lagging)->Find("new")->kind, EntryKind::kDirectory);

  changes_.NoteDirectory("fresh", "");
  ListingPtr account = MakeListing({Dir("c")}, clock_.Monotonic());
  EXPECT_EQ(NamesOf(*changes_.Apply("", account)), (std::vector<std::string>{"c", "fresh"}));
}

TEST_F(LocalChangesTest, AMergedListingNeverEndsAChange) {
  changes_.NoteRemoved("c", "gone");
  ListingPtr merged = MakeListing({File("kept", "e")}, clock_.Monotonic());  // made from us
  EXPECT_EQ(changes_.Apply("c/", merged, /*from_swift=*/false), merged);
  EXPECT_EQ(changes_.size(), 1u);
}

TEST_F(LocalChangesTest, AChangeEndsWhenALaterListingAgrees) {
  changes_.NoteWritten("c", "f", Written("e1"));
  changes_.NoteRemoved("c", "g");
  changes_.NoteDirectory("c", "d/");
  ListingPtr agreeing = MakeListing({File("f", "e1"), Dir("d")}, clock_.Monotonic());
  ListingPtr result = changes_.Apply("c/", agreeing);
  EXPECT_EQ(result, agreeing);  // nothing to change
  EXPECT_EQ(changes_.size(), 0u);
  EXPECT_FALSE(changes_.Has("c/"));
}

TEST_F(LocalChangesTest, AListingFetchedBeforeTheChangeNeverEndsIt) {
  const auto before = clock_.Monotonic();
  clock_.Advance(1s);
  changes_.NoteRemoved("c", "g");  // the listing below started before: it cannot know
  ListingPtr early = MakeListing({}, before);
  EXPECT_EQ(changes_.Apply("c/", early), early);
  EXPECT_EQ(changes_.size(), 1u);
  ListingPtr late_lagging = MakeListing({File("g", "e")}, clock_.Monotonic());
  EXPECT_TRUE(NamesOf(*changes_.Apply("c/", late_lagging)).empty());
}

TEST_F(LocalChangesTest, ANewerRemoteChangeWins) {
  changes_.NoteWritten("c", "f", Written("ours"));
  ListingPtr theirs = MakeListing({File("f", "theirs", clock_.Now() + 5s)}, clock_.Monotonic());
  EXPECT_EQ(changes_.Apply("c/", theirs), theirs);
  EXPECT_EQ(changes_.size(), 0u);
}

TEST_F(LocalChangesTest, ChangesExpireAfterTheirLifetime) {
  changes_.NoteRemoved("c", "g");
  clock_.Advance(99s);
  EXPECT_TRUE(changes_.Find("c", "g").has_value());
  clock_.Advance(1s);
  EXPECT_FALSE(changes_.Find("c", "g").has_value());
  EXPECT_EQ(changes_.size(), 0u);
}

TEST_F(LocalChangesTest, TheOldestGoFirstPastTheBound) {
  for (int i = 0; i < 6; ++i) changes_.NoteRemoved("c", "f" + std::to_string(i));
  EXPECT_EQ(changes_.size(), 4u);
  EXPECT_FALSE(changes_.Find("c", "f0").has_value());
  EXPECT_FALSE(changes_.Find("c", "f1").has_value());
  EXPECT_TRUE(changes_.Find("c", "f5").has_value());
}

TEST_F(LocalChangesTest, TheLatestChangeOfANameWins) {
  changes_.NoteRemoved("c", "f");
  changes_.NoteWritten("c", "f", Written("e2"));
  auto change = changes_.Find("c", "f");
  ASSERT_TRUE(change.has_value());
  EXPECT_FALSE(change->removed);
  EXPECT_EQ(change->entry.etag, "e2");
  EXPECT_EQ(changes_.size(), 1u);
  EXPECT_FALSE(changes_.Find("c", "f/").has_value());  // says nothing of a directory `f`
  changes_.NoteDirectory("c", "f/");                   // mkdir f after rm f: replaces it
  EXPECT_FALSE(changes_.Find("c", "f").has_value());
  EXPECT_TRUE(changes_.Find("c", "f/").has_value());
  EXPECT_EQ(changes_.size(), 1u);
}

TEST_F(LocalChangesTest, RemovedHereSeesRemovedAncestors) {
  changes_.NoteRemoved("c", "d/sub/");
  changes_.NoteRemoved("c", "d/file");
  EXPECT_TRUE(changes_.RemovedHere("c", "d/file", "d/"));
  EXPECT_TRUE(changes_.RemovedHere("c", "d/sub/", "d/"));
  EXPECT_TRUE(changes_.RemovedHere("c", "d/sub/deep/x", "d/"));  // under a removed directory
  EXPECT_FALSE(changes_.RemovedHere("c", "d/other", "d/"));
  EXPECT_FALSE(changes_.RemovedHere("c", "d/file/", "d/"));  // a directory, not the file
}

TEST_F(LocalChangesTest, AnyPresentUnderLooksAtEveryDepth) {
  changes_.NoteRemoved("c", "d/gone");
  EXPECT_FALSE(changes_.AnyPresentUnder("c", "d/"));
  changes_.NoteWritten("c", "d/sub/deep", Written("e"));
  EXPECT_TRUE(changes_.AnyPresentUnder("c", "d/"));
  EXPECT_TRUE(changes_.AnyPresentUnder("c", "d/sub/"));
  EXPECT_FALSE(changes_.AnyPresentUnder("c", "e/"));
}

TEST_F(LocalChangesTest, ConcurrentNotesAndAppliesAreSafe) {
  LocalChanges changes(clock_, 100s, 1000);
  ListingPtr listing = MakeListing({File("a", "e")}, clock_.Monotonic());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string name = "f" + std::to_string(t) + "_" + std::to_string(i % 50);
        if (i % 3 == 0) {
          changes.NoteRemoved("c", name);
        } else {
          changes.NoteWritten("c", name, Written("e"));
        }
        ASSERT_NE(changes.Apply("c/", listing), nullptr);
        (void)changes.Find("c", name);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(changes.size(), 200u);
}

// --- DirectoryState: the overlay as lookups and readdirs see it ---

class DirectoryStateOverlayTest : public ::testing::Test {
 protected:
  DirectoryStateOverlayTest() : fetcher_(fake_, clock_, false) {
    options_.container = "c";
    fake_.PutObject("c", "d/old", "x");
    dirs_ = std::make_unique<DirectoryState>(fetcher_, clock_, counters_, options_);
  }
  static Location DirAt(const std::string& key) {
    return Location{0, EntryKind::kDirectory, "c", key};
  }

  testing::FakeObjectClient fake_;
  testing::FakeClock clock_;
  Counters counters_;
  FsOptions options_;
  ListingFetcher fetcher_;
  std::unique_ptr<DirectoryState> dirs_;
};

TEST_F(DirectoryStateOverlayTest, ANoteUpdatesTheCachedListingAtOnce) {
  ASSERT_TRUE(dirs_->Start(DirAt("d/")).ok());  // cached
  const uint64_t listings = fake_.list_objects_count();
  dirs_->NoteWritten("c", "d/new", Written("e1"));  // Swift's listing will lag: not in fake
  ListingPtr cached = dirs_->FreshListing(DirAt("d/"));
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(NamesOf(*cached), (std::vector<std::string>{"new", "old"}));
  dirs_->NoteRemoved("c", "d/old");
  EXPECT_EQ(NamesOf(*dirs_->FreshListing(DirAt("d/"))), (std::vector<std::string>{"new"}));
  EXPECT_EQ(fake_.list_objects_count(), listings);  // no request for any of it
}

TEST_F(DirectoryStateOverlayTest, ALaggingListingIsMergedUntilSwiftAgrees) {
  dirs_->NoteWritten("c", "d/new", Written(testing::Md5Hex("abc")));
  dirs_->NoteRemoved("c", "d/old");
  // Swift has not caught up: the fake still holds "old" and lacks "new".
  auto start = dirs_->Start(DirAt("d/"));
  ASSERT_TRUE(start.ok());
  EXPECT_EQ(NamesOf(*start->listing), (std::vector<std::string>{"new"}));
  EXPECT_TRUE(dirs_->LocalChangeOf("c", "d/new").has_value());

  // Swift catches up; once the cached listing is stale, the next listing agrees and the
  // changes end.
  fake_.PutObject("c", "d/new", "abc");
  fake_.RemoveObject("c", "d/old");
  clock_.Advance(std::chrono::seconds(61));
  start = dirs_->Start(DirAt("d/"));
  ASSERT_TRUE(start.ok());
  EXPECT_EQ(NamesOf(*start->listing), (std::vector<std::string>{"new"}));
  EXPECT_FALSE(dirs_->LocalChangeOf("c", "d/new").has_value());
  EXPECT_FALSE(dirs_->LocalChangeOf("c", "d/old").has_value());
  EXPECT_EQ(dirs_->local_changes().size(), 0u);
}

TEST_F(DirectoryStateOverlayTest, ANoteNeverEndsAChangeTheCachedListingWasMergedWith) {
  ASSERT_TRUE(dirs_->Start(DirAt("d/")).ok());      // cached, Swift's listing lags from here
  dirs_->NoteRemoved("c", "d/old");                 // the cached listing now hides it
  dirs_->NoteWritten("c", "d/new", Written("e1"));  // merging again must not take the
                                                    // hidden `old` for Swift agreeing
  EXPECT_TRUE(dirs_->LocalChangeOf("c", "d/old").has_value());
  EXPECT_EQ(NamesOf(*dirs_->FreshListing(DirAt("d/"))), (std::vector<std::string>{"new"}));
}

TEST_F(DirectoryStateOverlayTest, RemovingADirectoryDropsItsOwnListing) {
  ASSERT_TRUE(dirs_->Start(DirAt("d/")).ok());
  ASSERT_NE(dirs_->FreshListing(DirAt("d/")), nullptr);
  dirs_->NoteRemoved("c", "d/");
  EXPECT_EQ(dirs_->FreshListing(DirAt("d/")), nullptr);
}

}  // namespace
}  // namespace swiftfs::core
