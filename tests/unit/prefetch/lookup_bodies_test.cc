// Lookups answered by a GET of the whole file (Prefetcher::FetchForLookup, lookup_bodies.h):
// the reply's headers stand in for a HEAD, and the open of exactly that version reads the
// bytes without a request; larger files, changed objects and programs that never open what
// they look up fall back to HEADs; a walk's read-ahead answers instead of a second GET;
// bodies are bounded in number and in time.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/fake_clock.h"
#include "swiftfs/cache/listing_order.h"
#include "swiftfs/cache/prefetcher.h"
#include "unit/prefetch/prefetch_test_util.h"

namespace swiftfs::cache {
namespace {

using testing::FakeClock;
using testing::FakeObjectClient;
using testing::kKiB;
using testing::RandomData;
using testing::ReadAll;
using testing::SmallPrefetchOptions;
using testing::VersionOf;

PrefetchOptions BodyOptions(uint32_t bodies = 4) {
  PrefetchOptions o = SmallPrefetchOptions();
  o.tree_file_max = 64 * kKiB;
  o.lookup_bodies = bodies;
  o.tree_idle = std::chrono::seconds(10);
  return o;
}

class LookupBodiesTest : public ::testing::Test {
 protected:
  ObjectVersion Put(const std::string& name, size_t size, uint64_t seed = 1) {
    data_[name] = RandomData(size, seed);
    testing::FakeObjectOptions options;
    options.meta_mtime = swift::WallTime(std::chrono::milliseconds(1000000000500));
    options.metadata = {{"owner", "ann"}};
    fake_.PutObject("c", name, data_[name], options);
    return VersionOf("c", name, data_[name]);
  }
  std::string OpenAndRead(Prefetcher& p, const ObjectVersion& v) {
    auto reader = p.Open(v);
    return ReadAll(*reader, v.size, 16 * kKiB);
  }
  uint64_t Count(Counter c) const { return counters_.Get(c); }

  FakeObjectClient fake_;
  FakeClock clock_;
  Counters counters_;
  std::map<std::string, std::string> data_;
};

TEST_F(LookupBodiesTest, OneGetAnswersTheLookupAndTheOpenReadsItsBytes) {
  const ObjectVersion v = Put("d/small", 40 * kKiB);
  Prefetcher prefetcher(fake_, counters_, BodyOptions(), clock_);
  auto info = prefetcher.FetchForLookup(v, nullptr);
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE(info->ok()) << info->error().ToString();
  EXPECT_EQ((*info)->size, v.size);
  EXPECT_EQ((*info)->etag, v.etag);
  EXPECT_EQ((*info)->metadata.at("owner"), "ann");
  ASSERT_TRUE((*info)->meta_mtime.has_value());
  EXPECT_EQ(fake_.get_range_count(), 1u);
  EXPECT_EQ(fake_.head_object_count(), 0u);

  EXPECT_EQ(OpenAndRead(prefetcher, v), data_["d/small"]);
  EXPECT_EQ(fake_.total_count(), 1u);  // the open took the lookup's bytes
  EXPECT_EQ(Count(Counter::kLookupGets), 1u);
  EXPECT_EQ(Count(Counter::kLookupGetHits), 1u);
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);

  // Taken once: a second open reads for itself.
  EXPECT_EQ(OpenAndRead(prefetcher, v), data_["d/small"]);
  EXPECT_EQ(fake_.get_range_count(), 2u);
}

TEST_F(LookupBodiesTest, LargerFilesAndEmptyOnesAreLeftToAHead) {
  const ObjectVersion large = Put("large", 64 * kKiB + 1);
  const ObjectVersion empty = Put("empty", 0);
  Prefetcher prefetcher(fake_, counters_, BodyOptions(), clock_);
  EXPECT_FALSE(prefetcher.FetchForLookup(large, nullptr).has_value());
  EXPECT_FALSE(prefetcher.FetchForLookup(empty, nullptr).has_value());
  PrefetchOptions off = BodyOptions(0);
  Prefetcher without(fake_, counters_, off, clock_);
  EXPECT_FALSE(without.FetchForLookup(Put("small", 1 * kKiB), nullptr).has_value());
  EXPECT_EQ(fake_.total_count(), 0u);
}

TEST_F(LookupBodiesTest, AnOpenOfAnotherVersionNeverGetsTheBytes) {
  const ObjectVersion old_version = Put("o", 8 * kKiB, 1);
  Prefetcher prefetcher(fake_, counters_, BodyOptions(), clock_);
  ASSERT_TRUE(prefetcher.FetchForLookup(old_version, nullptr).has_value());
  const std::string old_bytes = data_["o"];
  const ObjectVersion new_version = Put("o", 8 * kKiB, 2);
  ASSERT_NE(new_version.etag, old_version.etag);
  EXPECT_EQ(OpenAndRead(prefetcher, new_version), data_["o"]);
  EXPECT_NE(data_["o"], old_bytes);
  EXPECT_EQ(fake_.get_range_count(), 2u);
  EXPECT_EQ(Count(Counter::kLookupGetHits), 0u);
}

TEST_F(LookupBodiesTest, AChangedObjectIsLeftToAHeadAndAGoneOneIsNotFound) {
  const ObjectVersion listed = Put("o", 8 * kKiB, 1);
  Put("o", 8 * kKiB, 2);  // overwritten since the listing
  Prefetcher prefetcher(fake_, counters_, BodyOptions(), clock_);
  EXPECT_FALSE(
      prefetcher.FetchForLookup(listed, nullptr).has_value());  // 412: the HEAD tells what now
  fake_.RemoveObject("c", "o");
  auto gone = prefetcher.FetchForLookup(listed, nullptr);
  ASSERT_TRUE(gone.has_value());
  ASSERT_FALSE(gone->ok());
  EXPECT_EQ(gone->error().code, ErrorCode::kNotFound);
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

TEST_F(LookupBodiesTest, LookupsThatAreNeverOpenedTurnItOffUntilAProbeIsOpened) {
  // rsync's first pass: it stats every file, then reads them later.
  Prefetcher prefetcher(fake_, counters_, BodyOptions(4), clock_);
  std::vector<ObjectVersion> files;
  for (int i = 0; i < 300; ++i) files.push_back(Put("f" + std::to_string(1000 + i), 1 * kKiB, i));
  size_t by_get = 0;
  for (size_t i = 0; i < 150; ++i)
    by_get += prefetcher.FetchForLookup(files[i], nullptr).has_value();
  // Four kept, four more dropped unread, then off but for a probe in every kProbeEvery.
  constexpr size_t kProbeEvery = 64;  // LookupBodies::kProbeEvery
  EXPECT_EQ(by_get, 8u + (150 - 8) / kProbeEvery);
  EXPECT_EQ(fake_.get_range_count(), by_get);
  prefetcher.WaitIdle();
  EXPECT_LE(prefetcher.budget().in_use(), 4 * kKiB);

  // A probe that is opened turns it back on.
  size_t i = 150;
  while (!prefetcher.FetchForLookup(files[i], nullptr).has_value()) ++i;
  EXPECT_EQ(OpenAndRead(prefetcher, files[i]), data_[files[i].name]);
  EXPECT_TRUE(prefetcher.FetchForLookup(files[i + 1], nullptr).has_value());
  EXPECT_TRUE(prefetcher.FetchForLookup(files[i + 2], nullptr).has_value());
}

TEST_F(LookupBodiesTest, BodiesAreDroppedAfterTheIdleTime) {
  const ObjectVersion v = Put("o", 8 * kKiB);
  Prefetcher prefetcher(fake_, counters_, BodyOptions(), clock_);
  ASSERT_TRUE(prefetcher.FetchForLookup(v, nullptr).has_value());
  EXPECT_GT(prefetcher.budget().in_use(), 0u);
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(OpenAndRead(prefetcher, v), data_["o"]);
  EXPECT_EQ(fake_.get_range_count(), 2u);  // dropped: read again
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

// A directory listing for OpenListed (the walk of read-ahead across files).
class Listing final : public ListingOrder {
 public:
  explicit Listing(std::vector<ObjectVersion> files) : files_(std::move(files)) {}
  const std::string& directory() const override { return dir_; }
  size_t size() const override { return files_.size(); }
  Entry At(size_t index) const override { return Entry{true, files_[index]}; }
  std::optional<size_t> IndexOf(std::string_view name) const override {
    for (size_t i = 0; i < files_.size(); ++i) {
      if (files_[i].name == name) return i;
    }
    return std::nullopt;
  }

 private:
  std::string dir_ = "c/d/";
  std::vector<ObjectVersion> files_;
};

TEST_F(LookupBodiesTest, AWalksReadAheadAnswersTheLookupWithoutASecondGet) {
  // cp -r and tar: stat, open, read, for each file in listing order.
  std::vector<ObjectVersion> files;
  for (int i = 0; i < 20; ++i) files.push_back(Put("d/f" + std::to_string(10 + i), 4 * kKiB, i));
  auto listing = std::make_shared<Listing>(files);
  PrefetchOptions options = BodyOptions();
  options.tree_files = 4;
  Prefetcher prefetcher(fake_, counters_, options, clock_);
  for (size_t i = 0; i < files.size(); ++i) {
    auto info = prefetcher.FetchForLookup(files[i], nullptr);
    ASSERT_TRUE(info.has_value() && info->ok()) << i;
    EXPECT_EQ((*info)->metadata.at("owner"), "ann");
    auto reader = prefetcher.OpenListed(files[i], ListedPosition{listing, i});
    EXPECT_EQ(ReadAll(*reader, files[i].size, 16 * kKiB), data_[files[i].name]) << i;
  }
  prefetcher.WaitIdle();
  EXPECT_EQ(fake_.get_range_count(), files.size());  // one GET per file, whoever made it
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(Count(Counter::kLookupGets), 2u);  // the two opens that start the walk
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);
}

}  // namespace
}  // namespace swiftfs::cache
