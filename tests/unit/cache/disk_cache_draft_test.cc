// DiskCache drafts and the DraftVersion over them: the blocks of a file being written are
// stored as they pass, invisible until published under the committed key, then verified
// blocks like any other; dropped (files and space) when not published; never a reason for
// anything else to fail when the cap cannot take them.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "cache/disk/block_file.h"
#include "cache/disk/draft_version.h"
#include "swiftfs/cache/disk_cache.h"
#include "unit/cache/disk_cache_fixture.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;
namespace fs = std::filesystem;

constexpr uint64_t kBlock = testing_util::DiskCacheFixture::kBlockSize;
constexpr char kEtag[] = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";  // an MD5's length, as Swift's

class DiskCacheDraftTest : public testing_util::DiskCacheFixture {
 protected:
  static std::shared_ptr<const std::string> Shared(std::string bytes) {
    return std::make_shared<const std::string>(std::move(bytes));
  }
  // Adds block `index` of `data` (whole blocks of kBlock) to `draft`.
  static bool AddBlock(DiskCache::Draft& draft, const std::shared_ptr<const std::string>& data,
                       uint64_t index) {
    return draft.Add(index, data, std::span<const char>(*data).subspan(index * kBlock, kBlock));
  }
  size_t FilesIn(const std::string& sub) {
    size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path() + "/" + sub)) {
      if (entry.is_regular_file()) ++n;
    }
    return n;
  }
  const BlockKey provisional_{"acct", "c", "big", std::string(32, '-')};
  const BlockKey final_{"acct", "c", "big", kEtag};
};

TEST_F(DiskCacheDraftTest, PublishedBlocksAreTheCommittedVersionsAndVerify) {
  auto cache = OpenCache();
  const auto data = Shared(Pattern(4 * kBlock, 3));
  DiskCache::Draft draft = cache->BeginDraft(provisional_);
  for (uint64_t i = 0; i < 4; ++i) ASSERT_TRUE(AddBlock(draft, data, i));
  cache->WaitIdle();
  // Stored, counted, but nobody can read them yet: not the version of any key.
  EXPECT_EQ(cache->stats().draft_bytes, 4 * Footprint(final_, kBlock));
  EXPECT_EQ(cache->stats().bytes, 4 * Footprint(final_, kBlock));
  EXPECT_EQ(FilesIn("tmp"), 4u);
  EXPECT_FALSE(cache->Contains(final_, 0));
  EXPECT_EQ(LoadString(*cache, final_, 0, kBlock), "<absent>");

  EXPECT_EQ(draft.Publish(final_), 4u);
  EXPECT_EQ(cache->stats().draft_bytes, 0u);
  EXPECT_EQ(cache->stats().blocks, 4u);
  EXPECT_EQ(cache->stats().bytes, 4 * Footprint(final_, kBlock));
  EXPECT_EQ(FilesIn("tmp"), 0u);
  for (uint64_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(cache->Contains(final_, i));
    EXPECT_TRUE(LoadString(*cache, final_, i, kBlock) == data->substr(i * kBlock, kBlock)) << i;
  }
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheWrites), 4u);
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheCorrupt), 0u);

  // The same blocks after a remount (the start-up scan indexes them as any other).
  cache.reset();
  cache = OpenCache();
  EXPECT_TRUE(LoadString(*cache, final_, 3, kBlock) == data->substr(3 * kBlock, kBlock));
}

TEST_F(DiskCacheDraftTest, ADraftNotPublishedLeavesNothingAndGivesItsSpaceBack) {
  auto cache = OpenCache();
  const auto data = Shared(Pattern(3 * kBlock));
  {
    DiskCache::Draft draft = cache->BeginDraft(provisional_);
    for (uint64_t i = 0; i < 3; ++i) ASSERT_TRUE(AddBlock(draft, data, i));
    cache->WaitIdle();
    EXPECT_GT(cache->stats().bytes, 0u);
  }
  EXPECT_EQ(cache->stats().bytes, 0u);
  EXPECT_EQ(cache->stats().draft_bytes, 0u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(FilesIn("blocks"), 0u);
  EXPECT_FALSE(cache->Contains(final_, 0));
}

TEST_F(DiskCacheDraftTest, ADraftDroppedWhileItsBlocksAreQueuedLeavesNothing) {
  auto cache = OpenCache();
  const auto data = Shared(Pattern(16 * kBlock));
  {
    DiskCache::Draft draft = cache->BeginDraft(provisional_);
    for (uint64_t i = 0; i < 16; ++i) AddBlock(draft, data, i);
  }  // dropped at once, the writers most likely still busy with it
  cache->WaitIdle();
  EXPECT_EQ(cache->stats().bytes, 0u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
}

TEST_F(DiskCacheDraftTest, ACapTooSmallCachesLessAndNeverFails) {
  const uint64_t footprint = Footprint(final_, kBlock);
  auto cache = OpenCache(2 * footprint);
  const auto data = Shared(Pattern(5 * kBlock));
  DiskCache::Draft draft = cache->BeginDraft(provisional_);
  for (uint64_t i = 0; i < 5; ++i) AddBlock(draft, data, i);
  EXPECT_EQ(draft.Publish(final_), 2u);
  EXPECT_EQ(cache->stats().bytes, 2 * footprint);
  EXPECT_EQ(FilesIn("tmp"), 0u);
  // Published blocks are ordinary ones: evictable for the next.
  ASSERT_TRUE(cache->Store(BlockKey("acct", "c", "other", kEtag), 0, Pattern(kBlock)).ok());
  EXPECT_EQ(cache->stats().bytes, 2 * footprint);
}

TEST_F(DiskCacheDraftTest, DraftBlocksGiveWayToStagedBytes) {
  const uint64_t footprint = Footprint(final_, kBlock);
  auto cache = OpenCache(3 * footprint);
  const auto data = Shared(Pattern(3 * kBlock));
  DiskCache::Draft draft = cache->BeginDraft(provisional_);
  for (uint64_t i = 0; i < 3; ++i) AddBlock(draft, data, i);
  cache->WaitIdle();
  ASSERT_EQ(cache->stats().draft_bytes, 3 * footprint);
  // Reads' blocks never push a draft out; the staging area's dirty bytes do.
  ASSERT_TRUE(cache->Store(BlockKey("acct", "c", "read", kEtag), 0, Pattern(kBlock)).ok());
  EXPECT_FALSE(cache->Contains(BlockKey("acct", "c", "read", kEtag), 0));
  EXPECT_TRUE(cache->Take(footprint));
  EXPECT_EQ(cache->stats().draft_bytes, 2 * footprint);
  EXPECT_EQ(draft.Publish(final_), 2u);
  cache->Give(footprint);
}

TEST_F(DiskCacheDraftTest, AKeyOfAnotherLengthPublishesNothing) {
  auto cache = OpenCache();
  const auto data = Shared(Pattern(2 * kBlock));
  DiskCache::Draft draft = cache->BeginDraft(provisional_);
  for (uint64_t i = 0; i < 2; ++i) AddBlock(draft, data, i);
  const BlockKey renamed("acct", "c", "a-longer-name", kEtag);
  EXPECT_EQ(draft.Publish(renamed), 0u);
  EXPECT_EQ(cache->stats().bytes, 0u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(LoadString(*cache, renamed, 0, kBlock), "<absent>");
}

TEST_F(DiskCacheDraftTest, AnUnstartedCacheTakesNothing) {
  DiskCacheOptions options;
  options.dir = dir_.path();
  options.block_size = kBlock;
  auto cache = DiskCache::Open(options, counters_, logger_);
  ASSERT_TRUE(cache.ok());
  const auto data = Shared(Pattern(kBlock));
  DiskCache::Draft draft = (*cache)->BeginDraft(provisional_);
  EXPECT_FALSE(AddBlock(draft, data, 0));
  EXPECT_EQ(draft.Publish(final_), 0u);  // returns: nothing outstanding
}

// DraftVersion: pieces cut at any size (segments need not be whole blocks), the last
// block shorter, published under the version's key.
TEST_F(DiskCacheDraftTest, ADraftVersionCutsPiecesIntoBlocksAndPublishesTheLastAtCommit) {
  auto cache = OpenCache();
  const std::string file = Pattern(5 * kBlock + 1000, 7);
  DraftVersion version(*cache, "acct", "c", "big");
  const uint64_t piece = kBlock + kBlock / 2;  // blocks split between pieces
  for (uint64_t at = 0; at < file.size(); at += piece) {
    version.Add(at, Shared(file.substr(at, piece)));
  }
  version.Commit(ObjectVersion{"c", "big", kEtag, file.size()});
  EXPECT_EQ(cache->stats().blocks, 6u);
  EXPECT_EQ(cache->stats().draft_bytes, 0u);
  for (uint64_t i = 0; i < 6; ++i) {
    const uint64_t size = std::min<uint64_t>(kBlock, file.size() - i * kBlock);
    EXPECT_TRUE(LoadString(*cache, final_, i, static_cast<uint32_t>(size)) ==
                file.substr(i * kBlock, size))
        << i;
  }
}

TEST_F(DiskCacheDraftTest, ADraftVersionDestroyedUncommittedLeavesNothing) {
  auto cache = OpenCache();
  {
    DraftVersion version(*cache, "acct", "c", "big");
    version.Add(0, Shared(Pattern(3 * kBlock + 5)));
    cache->WaitIdle();
    EXPECT_GT(cache->stats().draft_bytes, 0u);
  }
  EXPECT_EQ(cache->stats().bytes, 0u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
}

// A piece that is not the next in order (offered twice, or with a gap) would make a block
// count bytes it does not hold, and publish it with a hole: the draft is dropped instead.
TEST_F(DiskCacheDraftTest, ADraftVersionOfferedOutOfOrderPublishesNothing) {
  for (const uint64_t second : {uint64_t{0}, kBlock / 4, kBlock / 2 + 1}) {
    auto cache = OpenCache();
    const std::string file = Pattern(2 * kBlock, 3);
    DraftVersion version(*cache, "acct", "c", "big");
    version.Add(0, Shared(file.substr(0, kBlock / 2)));  // the first half of block 0
    // Then a piece overlapping it (0, kBlock/4), or leaving a gap (kBlock/2 + 1): with the
    // old count by bytes, the overlap's kBlock/2 bytes "completed" the block.
    version.Add(second, Shared(file.substr(second, kBlock / 2)));
    version.Add(second + kBlock / 2, Shared(file.substr(second + kBlock / 2)));
    version.Commit(ObjectVersion{"c", "big", kEtag, file.size()});
    cache->WaitIdle();
    EXPECT_EQ(cache->stats().blocks, 0u) << second;
    EXPECT_EQ(LoadString(*cache, final_, 0, kBlock), "<absent>") << second;
    EXPECT_EQ(LoadString(*cache, final_, 1, kBlock), "<absent>") << second;
    EXPECT_EQ(cache->stats().bytes, 0u) << second;
  }
}

}  // namespace
}  // namespace swiftfs::cache
