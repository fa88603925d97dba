// What lookups cost when the parent's listing is not at hand: a cold lookup by path is one
// bounded listing (no HEAD), many lookups in one directory list it once, and a walk that
// outlives dir_cache_timeout re-lists its directory instead of asking name by name, never
// serving attributes older than the timeout.
#include <fcntl.h>

#include <gtest/gtest.h>

#include <cstdio>

#include "core/directory_demand.h"
#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;

std::string Name(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "o%06d", i);
  return buf;
}

class LookupCostTest : public FilesystemTest {
 protected:
  // `count` objects many/o000000... at `page_limit` names per listing page.
  void Fill(int count, uint32_t page_limit) {
    fake_.SetClusterInfo(swift::ClusterInfo{.container_listing_limit = page_limit});
    for (int i = 0; i < count; ++i) fake_.PutObject("c", "many/" + Name(i), "data " + Name(i));
    Mount();
  }
  // `cat many/<name>` on a cold dentry: lookup, open, read, release.
  void Cat(InodeId dir, const std::string& name) {
    auto entry = fs_->Lookup(dir, name);
    ASSERT_TRUE(entry.ok()) << name;
    EXPECT_EQ(entry->attr.st_size, static_cast<off_t>(5 + name.size()));
    auto data = ReadFile(entry->ino);
    ASSERT_TRUE(data.ok()) << name;
    EXPECT_EQ(*data, "data " + name);
  }
};

TEST_F(LookupCostTest, AColdLookupByPathIsOneListingAndNoHead) {
  Fill(300, 10000);
  const InodeId many = Ino("many");  // one probe: its first 100 names
  fake_.ResetCounters();
  Cat(many, Name(250));  // beyond the probe's page
  EXPECT_EQ(fake_.list_objects_count(), 1u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 1u);
  const auto requests = fake_.list_requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].prefix, "many/" + Name(250));
  EXPECT_EQ(requests[0].end_marker, "many/" + Name(250) + "0");
  EXPECT_FALSE(requests[0].delimiter.has_value());
}

TEST_F(LookupCostTest, AColdMissIsOneListingAndRemembered) {
  Fill(300, 10000);
  const InodeId many = Ino("many");
  fake_.ResetCounters();
  EXPECT_EQ(fs_->Lookup(many, "absent").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.total_count(), 1u);
  EXPECT_EQ(fs_->Lookup(many, "absent").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.total_count(), 1u);  // the negative entry answers
}

TEST_F(LookupCostTest, ManyLookupsInOneDirectoryListItOnce) {
  // 12,000 names at 10,000 a page, scaled down by ten; 200 files read by path.
  Fill(1200, 1000);
  const InodeId many = Ino("many");
  fake_.ResetCounters();
  for (int i = 0; i < 200; ++i) Cat(many, Name(i * 6 + 1));
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 200u);
  // One lookup by request; its open is the directory's second use and the next lookup
  // its third (kListAfterUses), which lists the directory (continuing after the first page
  // `many`'s lookup fetched): two pages. The rest is answered from that listing.
  static_assert(kListAfterUses == 3);
  EXPECT_EQ(fake_.list_objects_count(), 1u + 2u);
  EXPECT_EQ(fake_.total_count(), 200u + 3u);
}

TEST_F(LookupCostTest, AFewLookupsDoNotListTheDirectory) {
  Fill(1200, 1000);
  const InodeId many = Ino("many");
  fake_.ResetCounters();
  ASSERT_TRUE(fs_->Lookup(many, Name(10)).ok());
  clock_.Advance(seconds(150));  // far apart: no demand builds up
  ASSERT_TRUE(fs_->Lookup(many, Name(20)).ok());
  clock_.Advance(seconds(150));
  ASSERT_TRUE(fs_->Lookup(many, Name(30)).ok());
  EXPECT_EQ(fake_.list_objects_count(), 3u);  // one bounded probe each
  for (const auto& request : fake_.list_requests()) EXPECT_FALSE(request.end_marker.empty());
}

TEST_F(LookupCostTest, AWalkKeepsItsDirectoryWarmPastTheCacheTime) {
  options_.dir_cache_timeout = seconds(60);
  options_.attr_timeout = seconds(60);
  options_.entry_timeout = seconds(60);
  Fill(1200, 1000);
  const InodeId many = Ino("many");
  auto entries = ReadAll(many, true);  // readdirplus: the walk's listing
  ASSERT_EQ(entries.size(), 1200u);
  fake_.ResetCounters();
  // rsync -a: a lookup and an open of each name, one file a second: the walk takes 20
  // minutes, twenty cache times.
  for (int i = 0; i < 1200; ++i) {
    clock_.Advance(seconds(1));
    Cat(many, Name(i));
  }
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 1200u);
  // One listing (two pages) each time the previous one expired: 1200 s / 60 s.
  EXPECT_LE(fake_.list_objects_count(), 2u * (1200 / 60 + 1));
  EXPECT_GE(fake_.list_objects_count(), 2u * (1200 / 60));
}

TEST_F(LookupCostTest, AWalkOpeningWhatReaddirplusHandedOutStaysWarm) {
  // The kernel holds readdirplus's entries for entry_timeout: the walk opens inodes with
  // no lookup at all until then, and those opens alone must keep the directory busy.
  options_.dir_cache_timeout = seconds(60);
  options_.attr_timeout = seconds(60);
  Fill(1200, 1000);
  const InodeId many = Ino("many");
  auto entries = ReadAll(many, true);
  ASSERT_EQ(entries.size(), 1200u);
  fake_.ResetCounters();
  for (const DirEntry& e : entries) {
    clock_.Advance(std::chrono::milliseconds(250));  // 300 s in all: five cache times
    auto data = ReadFile(e.entry.ino);
    ASSERT_TRUE(data.ok()) << e.name;
    EXPECT_EQ(*data, "data " + e.name);
  }
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 1200u);
  EXPECT_LE(fake_.list_objects_count(), 2u * 5);
}

TEST_F(LookupCostTest, AWarmDirectoryNeverServesAttributesOlderThanTheCacheTime) {
  options_.dir_cache_timeout = seconds(60);
  options_.attr_timeout = seconds(60);
  Fill(50, 1000);
  const InodeId many = Ino("many");
  ReadAll(many, true);
  fake_.PutObject("c", "many/" + Name(7), "rewritten, longer");
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(fs_->Lookup(many, Name(i)).ok());  // busy
  clock_.Advance(seconds(59));
  auto seven = fs_->Lookup(many, Name(7));
  ASSERT_TRUE(seven.ok());
  EXPECT_EQ(seven->attr.st_size, 5 + 7);  // the listing is still fresh
  clock_.Advance(seconds(2));
  const uint64_t lists = fake_.list_objects_count();
  auto attr = fs_->GetAttr(seven->ino);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 17);  // listed again: the current size
  EXPECT_EQ(fake_.list_objects_count(), lists + 1);
  EXPECT_EQ(fake_.head_object_count(), 0u);
}

TEST_F(LookupCostTest, ADirectoryTooLargeToHoldIsNotListedForLookups) {
  options_.stream_directory_entries = 500;
  Fill(1200, 1000);
  const InodeId many = Ino("many");
  fake_.ResetCounters();
  for (int i = 0; i < 50; ++i) Cat(many, Name(i * 20));
  EXPECT_EQ(fake_.head_object_count(), 0u);
  // One attempt at a listing (the first chunk shows it is too large), then name by name.
  EXPECT_EQ(fake_.list_objects_count(), 50u + 1u);
}

TEST_F(LookupCostTest, ADirectoryTheCacheCannotHoldIsNotListedForEachLookup) {
  options_.max_cached_entries = 500;  // below the directory, which is not streamed
  Fill(1200, 1000);
  const InodeId many = Ino("many");
  fake_.ResetCounters();
  for (int i = 0; i < 50; ++i) Cat(many, Name(i * 20));
  EXPECT_EQ(fake_.head_object_count(), 0u);
  // One listing (two pages) answers the lookup that brought it, then name by name.
  EXPECT_LE(fake_.list_objects_count(), 50u + 2u);
}

TEST_F(LookupCostTest, ADirectoryIsFoundWithItsFirstEntries) {
  fake_.PutObject("c", "d", "an object hidden by the directory");
  fake_.PutObject("c", "d-1", "between d and d/");
  fake_.PutObject("c", "d/x", "x");
  fake_.PutObject("c", "d/sub/y", "y");
  Mount();
  auto d = fs_->Lookup(kRootInode, "d");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(S_ISDIR(d->attr.st_mode));
  EXPECT_EQ(fake_.total_count(), 1u);
  EXPECT_EQ(Names(d->ino), (std::vector<std::string>{"sub", "x"}));  // no request more
  auto sub = fs_->Lookup(d->ino, "sub");
  ASSERT_TRUE(sub.ok());
  EXPECT_TRUE(S_ISDIR(sub->attr.st_mode));
  EXPECT_EQ(fake_.total_count(), 1u);
}

TEST_F(LookupCostTest, NamesBetweenANameAndItsDirectoryFillingTheProbeCostOneMore) {
  for (uint32_t i = 0; i < kLookupProbeEntries; ++i) {
    fake_.PutObject("c", "d-" + std::to_string(1000 + i), "x");  // '-' sorts before '/'
  }
  fake_.PutObject("c", "d/x", "x");
  fake_.PutObject("c", "e", "a file");
  for (uint32_t i = 0; i < kLookupProbeEntries; ++i) {
    fake_.PutObject("c", "e." + std::to_string(1000 + i), "x");
  }
  Mount();
  auto d = fs_->Lookup(kRootInode, "d");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(S_ISDIR(d->attr.st_mode));
  EXPECT_EQ(fake_.list_objects_count(), 2u);  // the bounded probe, then `d/` itself
  EXPECT_EQ(Names(d->ino), (std::vector<std::string>{"x"}));
  EXPECT_EQ(fake_.list_objects_count(), 2u);
  fake_.ResetCounters();
  auto e = fs_->Lookup(kRootInode, "e");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(S_ISREG(e->attr.st_mode));
  EXPECT_EQ(e->attr.st_size, 6);
  EXPECT_EQ(fake_.list_objects_count(), 2u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
}

TEST_F(LookupCostTest, AnEmptyDirectoryMarkerIsAnEmptyDirectory) {
  fake_.PutObject("c", "m", "",
                  testing::FakeObjectOptions{.content_type = "application/directory"});
  Mount();
  auto m = fs_->Lookup(kRootInode, "m");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(S_ISDIR(m->attr.st_mode));
  EXPECT_TRUE(Names(m->ino).empty());
  EXPECT_EQ(fake_.total_count(), 1u);
}

}  // namespace
}  // namespace swiftfs::core
