#include "swiftfs/cache/caching_reader_factory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "support/fake_object_client.h"
#include "swiftfs/cache/prefetcher.h"
#include "swiftfs/cache/simple_file_reader.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using swiftfs::testing::FakeObjectClient;
using testing_util::Pattern;
using testing_util::TempDir;

constexpr uint64_t kBlock = 64 * 1024;

class CachingReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DiskCacheOptions options;
    options.dir = dir_.path();
    options.free_margin_percent = 0;
    options.block_size = kBlock;
    auto cache = DiskCache::Open(options, counters_, logger_);
    ASSERT_TRUE(cache.ok());
    cache_ = std::move(*cache);
    cache_->Start();
    factory_ = std::make_unique<CachingReaderFactory>(inner_, *cache_, counters_, "AUTH_x");
  }
  ObjectVersion Put(const std::string& name, const std::string& data) {
    fake_.PutObject("c", name, data);
    return ObjectVersion{"c", name, swiftfs::testing::Md5Hex(data), data.size()};
  }
  // Reads all of `version` in `chunk`-byte reads, as the kernel would.
  std::string ReadAll(const ObjectVersion& version, size_t chunk = 32 * 1024) {
    auto reader = factory_->Open(version);
    std::string out;
    for (uint64_t at = 0; at < version.size; at += chunk) {
      auto view = reader->ReadInPlace(at, chunk);
      EXPECT_TRUE(view.ok());
      if (!view.ok()) break;
      for (auto piece : view->pieces) out.append(piece.data(), piece.size());
    }
    return out;
  }

  TempDir dir_;
  Counters counters_;
  NullLogger logger_;
  FakeObjectClient fake_;
  SimpleFileReaderFactory inner_{fake_};
  std::unique_ptr<DiskCache> cache_;
  std::unique_ptr<CachingReaderFactory> factory_;
};

TEST_F(CachingReaderTest, ASecondReadCostsNoGet) {
  const std::string data = Pattern(5 * kBlock + 123);
  const ObjectVersion version = Put("o", data);
  EXPECT_EQ(ReadAll(version), data);
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().blocks, 6u);
  const uint64_t gets = fake_.get_range_count();
  EXPECT_EQ(ReadAll(version, 10000), data);  // other read sizes, unaligned
  EXPECT_EQ(fake_.get_range_count(), gets);
  EXPECT_GE(counters_.Get(Counter::kDiskCacheHits), 6u);
}

TEST_F(CachingReaderTest, ANewEtagNeverSeesTheOldBlocks) {
  const ObjectVersion old_version = Put("o", Pattern(3 * kBlock, 1));
  ReadAll(old_version);
  cache_->WaitIdle();
  const std::string fresh = Pattern(3 * kBlock, 2);
  const ObjectVersion new_version = Put("o", fresh);
  const uint64_t gets = fake_.get_range_count();
  EXPECT_EQ(ReadAll(new_version), fresh);
  EXPECT_GT(fake_.get_range_count(), gets);
}

TEST_F(CachingReaderTest, PartlyCachedReadsJoinDiskAndSwift) {
  const std::string data = Pattern(4 * kBlock, 3);
  const ObjectVersion version = Put("o", data);
  {
    auto reader = factory_->Open(version);
    std::string block(kBlock, '\0');
    ASSERT_TRUE(reader->Read(kBlock, std::span<char>(block)).ok());  // block 1 only
  }
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().blocks, 1u);
  auto reader = factory_->Open(version);
  std::string out(3 * kBlock, '\0');
  auto n = reader->Read(kBlock / 2, std::span<char>(out));  // half of 0, 1, 2, half of 3
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, out.size());
  EXPECT_EQ(out, data.substr(kBlock / 2, 3 * kBlock));
}

TEST_F(CachingReaderTest, ACorruptBlockIsFetchedAgain) {
  const std::string data = Pattern(2 * kBlock, 4);
  const ObjectVersion version = Put("o", data);
  ReadAll(version);
  cache_->WaitIdle();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path() + "/blocks")) {
    if (entry.is_regular_file()) std::filesystem::resize_file(entry.path(), 100);
  }
  EXPECT_EQ(ReadAll(version), data);
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheCorrupt), 2u);
}

TEST_F(CachingReaderTest, CommittedBytesTheWriterHoldsAreReadBackWithoutAGet) {
  const std::string data = Pattern(4 * kBlock + 99, 7);
  const ObjectVersion version = Put("w", data);
  // The writer holds every block but the second one.
  std::vector<uint64_t> asked;
  factory_->Committed(version, [&](uint64_t offset, std::span<char> out) {
    asked.push_back(offset);
    if (offset == kBlock) return false;
    std::copy_n(data.data() + offset, out.size(), out.data());
    return true;
  });
  EXPECT_EQ(asked, (std::vector<uint64_t>{0, kBlock, 2 * kBlock, 3 * kBlock, 4 * kBlock}));
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().blocks, 4u);
  const uint64_t gets = fake_.get_range_count();
  EXPECT_EQ(ReadAll(version, kBlock), data);
  EXPECT_EQ(fake_.get_range_count(), gets + 1);  // the second block only
}

TEST_F(CachingReaderTest, CommittedBytesAreStoredEvenWhenTheQueueIsFull) {
  // Writer threads never started: StoreAsync refuses, the blocks are written at once.
  TempDir dir;
  DiskCacheOptions options;
  options.dir = dir.path();
  options.free_margin_percent = 0;
  options.block_size = kBlock;
  auto cache = DiskCache::Open(options, counters_, logger_);
  ASSERT_TRUE(cache.ok());
  CachingReaderFactory factory(inner_, **cache, counters_, "AUTH_x");
  const std::string data = Pattern(3 * kBlock, 8);
  const ObjectVersion version = Put("q", data);
  factory.Committed(version, [&](uint64_t offset, std::span<char> out) {
    std::copy_n(data.data() + offset, out.size(), out.data());
    return true;
  });
  EXPECT_EQ((*cache)->stats().blocks, 3u);
}

TEST_F(CachingReaderTest, ThePrefetcherFetchesNoCachedRangeAheadOfAReader) {
  // 1 MiB blocks, as mounts use: the prefetcher's window (1 MiB growing to 64) spans many.
  TempDir dir;
  DiskCacheOptions options;
  options.dir = dir.path();
  options.free_margin_percent = 0;
  auto cache = DiskCache::Open(options, counters_, logger_);
  ASSERT_TRUE(cache.ok());
  (*cache)->Start();
  const uint64_t block = options.block_size;
  Prefetcher prefetcher(fake_, counters_, PrefetchOptions{});
  CachingReaderFactory factory(prefetcher, **cache, counters_, "AUTH_x");
  const std::string data = Pattern(40 * block, 9);
  const ObjectVersion version = Put("part", data);
  // Blocks 0-9 and 20-29 are not cached; the others are (written through, say).
  factory.Committed(version, [&](uint64_t offset, std::span<char> out) {
    const uint64_t index = offset / block;
    if (index < 10 || (index >= 20 && index < 30)) return false;
    std::copy_n(data.data() + offset, out.size(), out.data());
    return true;
  });
  (*cache)->WaitIdle();
  fake_.ResetCounters();
  auto reader = factory.Open(version);
  std::string out;
  for (uint64_t at = 0; at < data.size(); at += 128 * 1024) {
    auto view = reader->ReadInPlace(at, 128 * 1024);
    ASSERT_TRUE(view.ok());
    for (auto piece : view->pieces) out.append(piece.data(), piece.size());
  }
  EXPECT_TRUE(out == data);
  prefetcher.WaitIdle();
  EXPECT_EQ(fake_.bytes_served(), 20 * block) << "only the uncached blocks are fetched";
}

TEST_F(CachingReaderTest, WorksOverThePrefetcher) {
  Prefetcher prefetcher(fake_, counters_, PrefetchOptions{});
  CachingReaderFactory factory(prefetcher, *cache_, counters_, "AUTH_x");
  const std::string data = Pattern(40 * kBlock + 7, 6);
  const ObjectVersion version = Put("big", data);
  for (int pass = 0; pass < 2; ++pass) {
    auto reader = factory.Open(version);
    std::string out;
    for (uint64_t at = 0; at < data.size(); at += 128 * 1024) {
      auto view = reader->ReadInPlace(at, 128 * 1024);
      ASSERT_TRUE(view.ok());
      for (auto piece : view->pieces) out.append(piece.data(), piece.size());
    }
    EXPECT_EQ(out, data) << "pass " << pass;
    prefetcher.WaitIdle();
    cache_->WaitIdle();
    if (pass == 0) fake_.ResetCounters();
  }
  EXPECT_EQ(fake_.get_range_count(), 0u);
}

// -o fetch_on_stat: a stat's GET of a small file stores it whole, so that its read, much
// later, costs no request; the reply's headers answer the stat as a HEAD's would.
TEST_F(CachingReaderTest, AStatFetchStoresASmallFileWholeAndAnswersWithItsHeaders) {
  Prefetcher prefetcher(fake_, counters_, PrefetchOptions{});
  CachingReaderFactory factory(prefetcher, *cache_, counters_, "AUTH_x", /*fetch_on_stat=*/true);
  const std::string data = Pattern(3 * kBlock + 11, 4);
  testing::FakeObjectOptions meta;
  meta.meta_mtime = swift::WallTime(std::chrono::seconds(1'000'000'000));
  fake_.PutObject("c", "s", data, meta);
  const ObjectVersion version{"c", "s", swiftfs::testing::Md5Hex(data), data.size()};
  fake_.ResetCounters();
  auto info = factory.FetchToStore(version);
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE(info->ok()) << info->error().message;
  EXPECT_EQ((*info)->size, data.size());
  EXPECT_EQ((*info)->meta_mtime, meta.meta_mtime);
  EXPECT_EQ(fake_.get_range_count(), 1u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(counters_.Get(Counter::kStatFetches), 1u);
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().blocks, 4u);
  fake_.ResetCounters();
  auto reader = factory.Open(version);
  std::string out(data.size(), '\0');
  auto n = reader->Read(0, std::span<char>(out));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, data.size());
  EXPECT_TRUE(out == data);
  EXPECT_FALSE(factory.FetchToStore(version).has_value()) << "held whole: a HEAD costs less";
  prefetcher.WaitIdle();
  EXPECT_EQ(fake_.total_count(), 0u);
}

TEST_F(CachingReaderTest, AStatFetchIsOnlyMadeWhenAskedForAndForWhatIsStillListed) {
  const std::string old_data = Pattern(2 * kBlock, 5);
  const ObjectVersion listed = Put("s", old_data);
  fake_.ResetCounters();
  EXPECT_FALSE(factory_->FetchToStore(listed).has_value()) << "not asked for (the default)";
  EXPECT_EQ(fake_.total_count(), 0u);

  PrefetchOptions small;
  small.tree_file_max = kBlock;
  Prefetcher prefetcher(fake_, counters_, small);
  CachingReaderFactory factory(prefetcher, *cache_, counters_, "AUTH_x", /*fetch_on_stat=*/true);
  EXPECT_FALSE(factory.FetchToStore(listed).has_value()) << "larger than tree_file_max";
  EXPECT_EQ(fake_.total_count(), 0u);

  // Overwritten since it was listed: If-Match fails, the stat HEADs, nothing is stored.
  Prefetcher prefetcher2(fake_, counters_, PrefetchOptions{});
  CachingReaderFactory factory2(prefetcher2, *cache_, counters_, "AUTH_x", true);
  Put("s", Pattern(2 * kBlock, 6));
  EXPECT_FALSE(factory2.FetchToStore(listed).has_value());
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().blocks, 0u);
  EXPECT_EQ(counters_.Get(Counter::kStatFetches), 0u);
}

// The inner factory learns which versions the cache holds whole, so that its read-ahead
// across files skips them (a second cp -r of a cached tree costs no GET).
TEST_F(CachingReaderTest, TellsTheInnerFactoryWhichVersionsItHoldsWhole) {
  class Recording final : public FileReaderFactory {
   public:
    explicit Recording(FileReaderFactory& inner) : inner_(inner) {}
    std::unique_ptr<FileReader> Open(const ObjectVersion& v) override { return inner_.Open(v); }
    void SkipHeldLocally(const HeldLocally& held) override { held_ = held; }
    HeldLocally held_;

   private:
    FileReaderFactory& inner_;
  } recording(inner_);
  const ObjectVersion whole = Put("whole", Pattern(3 * kBlock + 5, 1));
  const ObjectVersion part = Put("part", Pattern(3 * kBlock, 2));
  const ObjectVersion never = Put("never", Pattern(10, 3));
  {
    CachingReaderFactory factory(recording, *cache_, counters_, "AUTH_x");
    ASSERT_TRUE(recording.held_);
    auto reader = factory.Open(whole);
    ASSERT_TRUE(reader->ReadInPlace(0, whole.size).ok());
    auto partly = factory.Open(part);
    ASSERT_TRUE(partly->ReadInPlace(0, kBlock).ok());  // its first block only
    cache_->WaitIdle();
    EXPECT_TRUE(recording.held_(whole));
    EXPECT_FALSE(recording.held_(part));
    EXPECT_FALSE(recording.held_(never));
    ObjectVersion other_etag = whole;
    other_etag.etag = std::string(32, '0');
    EXPECT_FALSE(recording.held_(other_etag));
  }
  EXPECT_FALSE(recording.held_);  // a factory gone is not asked
}

}  // namespace
}  // namespace swiftfs::cache
