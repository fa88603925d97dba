// -o fetch_on_stat under a Filesystem (a CachingReaderFactory over the Prefetcher and a
// real DiskCache, Swift faked): rsync -a's first pass stats every file before it reads
// any, so with true mtimes (mtime=meta) each file used to cost a HEAD and a GET. With the
// option the stats' look-ahead GETs small files whole into the disk cache instead of
// HEADing them, and the reads find them there: one request per file.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "swiftfs/cache/caching_reader_factory.h"
#include "swiftfs/cache/disk_cache.h"
#include "swiftfs/cache/prefetcher.h"
#include "unit/cache/disk_cache_test_util.h"
#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

constexpr time_t kTrueMtime = 1000000000;

class FetchOnStatTest : public FilesystemTest {
 protected:
  // `count` files d/f1000... of 1,000 to about 16,000 bytes, with X-Object-Meta-Mtime, and
  // a mount with mtime=meta over the disk cache: `d`'s inode.
  InodeId MountWith(size_t count, bool fetch_on_stat) {
    options_.mtime = MtimeSource::kMeta;
    testing::FakeObjectOptions meta;
    meta.meta_mtime = swift::WallTime(std::chrono::seconds(kTrueMtime));
    for (size_t i = 0; i < count; ++i) {
      const std::string name = "d/f" + std::to_string(1000 + i);
      data_[name] = std::string(1000 + 37 * i, static_cast<char>('a' + i % 26));
      fake_.PutObject("c", name, data_[name], meta);
    }
    cache::DiskCacheOptions cache_options;
    cache_options.dir = dir_.path();
    cache_options.free_margin_percent = 0;
    auto cache = cache::DiskCache::Open(cache_options, counters_, logger_);
    EXPECT_TRUE(cache.ok());
    if (!cache.ok()) return 0;
    cache_ = std::move(*cache);
    cache_->Start();
    prefetcher_ = std::make_unique<cache::Prefetcher>(fake_, counters_, cache::PrefetchOptions{});
    caching_ = std::make_unique<cache::CachingReaderFactory>(*prefetcher_, *cache_, counters_,
                                                             "AUTH_x", fetch_on_stat);
    fs_ = std::make_unique<Filesystem>(options_, fake_, *caching_, clock_, logger_, counters_);
    EXPECT_TRUE(fs_->Init().ok());
    return Ino("d");
  }
  // rsync's first pass: readdirplus, then a stat of every file in listing order (lookups
  // as the FUSE adapter makes them, with the request's interrupt flag). The files' inodes.
  std::vector<std::pair<std::string, InodeId>> StatPass(InodeId d) {
    const auto entries = ReadAll(d, /*plus=*/true);
    fake_.ResetCounters();
    std::vector<std::pair<std::string, InodeId>> files;
    for (const DirEntry& e : entries) {
      auto entry = fs_->Lookup(d, e.name, &not_interrupted_);
      EXPECT_TRUE(entry.ok()) << e.name;
      if (!entry.ok()) continue;
      EXPECT_EQ(entry->attr.st_mtime, kTrueMtime) << e.name;
      files.emplace_back(e.name, entry->ino);
    }
    prefetcher_->WaitIdle();
    cache_->WaitIdle();
    return files;
  }
  // rsync's second pass: every file read whole, compared with what was put.
  void ReadPass(const std::vector<std::pair<std::string, InodeId>>& files) {
    for (const auto& [name, ino] : files) {
      auto data = ReadFile(ino, 64 * 1024);
      ASSERT_TRUE(data.ok()) << name;
      EXPECT_EQ(*data, data_["d/" + name]);
    }
    prefetcher_->WaitIdle();
  }
  void TearDown() override {
    fs_.reset();  // its readers before the factories under them
    caching_.reset();
    prefetcher_.reset();
    cache_.reset();
  }

  cache::testing_util::TempDir dir_;
  std::unique_ptr<cache::DiskCache> cache_;
  std::unique_ptr<cache::Prefetcher> prefetcher_;
  std::unique_ptr<cache::CachingReaderFactory> caching_;
  std::map<std::string, std::string> data_;
  std::atomic<bool> not_interrupted_{false};
};

TEST_F(FetchOnStatTest, RsyncCostsOneGetPerFile) {
  const InodeId d = MountWith(400, /*fetch_on_stat=*/true);
  const auto files = StatPass(d);
  ASSERT_EQ(files.size(), 400u);
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_EQ(fake_.get_range_count(), 400u);
  EXPECT_EQ(counters_.Get(Counter::kStatFetches), 400u);  // the first one by its own stat
  fake_.ResetCounters();
  ReadPass(files);
  EXPECT_EQ(fake_.total_count(), 0u);
}

TEST_F(FetchOnStatTest, WithoutTheOptionTheStatsHeadAndTheReadsGet) {
  const InodeId d = MountWith(400, /*fetch_on_stat=*/false);
  const auto files = StatPass(d);
  ASSERT_EQ(files.size(), 400u);
  EXPECT_GE(fake_.head_object_count(), 300u);
  EXPECT_EQ(counters_.Get(Counter::kStatFetches), 0u);
  fake_.ResetCounters();
  ReadPass(files);
  EXPECT_GE(fake_.get_range_count(), 300u);
}

TEST_F(FetchOnStatTest, AFileChangedAfterItsListingIsNeitherStoredNorServedOld) {
  const InodeId d = MountWith(50, /*fetch_on_stat=*/true);
  const auto entries = ReadAll(d, /*plus=*/true);
  // Overwritten after the listing: the stat's GET (If-Match on the listed etag) fails and
  // the stat HEADs; nothing of either version is stored by the stat.
  const std::string fresh(5000, 'z');
  testing::FakeObjectOptions meta;
  meta.meta_mtime = swift::WallTime(std::chrono::seconds(kTrueMtime));
  fake_.PutObject("c", "d/f1010", fresh, meta);
  fake_.ResetCounters();
  InodeId changed = 0;
  for (const DirEntry& e : entries) {
    auto entry = fs_->Lookup(d, e.name, &not_interrupted_);
    ASSERT_TRUE(entry.ok()) << e.name;
    if (e.name == "f1010") changed = entry->ino;
  }
  prefetcher_->WaitIdle();
  cache_->WaitIdle();
  EXPECT_EQ(fake_.head_object_count(), 1u);
  EXPECT_EQ(counters_.Get(Counter::kStatFetches), 49u);
  // The listing still names the old version: its read fails (ESTALE), never old bytes.
  auto stale = ReadFile(changed, 64 * 1024);
  EXPECT_FALSE(stale.ok());
  // Once the listing is refreshed, the new bytes.
  clock_.Advance(std::chrono::hours(1));
  auto entry = fs_->Lookup(d, "f1010", &not_interrupted_);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->attr.st_size, 5000);
  auto data = ReadFile(entry->ino, 64 * 1024);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, fresh);
}

// A stat's GET that fails (the server answers 503, after the client's retries) fails that
// stat with the server's reason, not a vague EIO of ours, and stores nothing; the next stat
// of the file, once the server answers again, fetches and stores it.
TEST_F(FetchOnStatTest, AFailedFetchFailsItsStatWithTheReasonAndTheNextStatRecovers) {
  const InodeId d = MountWith(3, /*fetch_on_stat=*/true);
  ReadAll(d, /*plus=*/true);
  std::atomic<bool> failing{true};
  fake_.SetFaultHook(testing::FakeObjectClient::Op::kGetRange,
                     [&](const testing::FakeObjectClient::Call&) -> std::optional<Error> {
                       if (!failing) return std::nullopt;
                       return MakeError(ErrorCode::kServerError, "503 Service Unavailable");
                     });
  auto failed = fs_->Lookup(d, "f1000", &not_interrupted_);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kServerError);
  EXPECT_NE(failed.error().message.find("503"), std::string::npos) << failed.error().message;
  prefetcher_->WaitIdle();
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().blocks, 0u);
  EXPECT_EQ(counters_.Get(Counter::kStatFetches), 0u);

  failing = false;
  fake_.ResetCounters();
  auto entry = fs_->Lookup(d, "f1000", &not_interrupted_);
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_EQ(entry->attr.st_mtime, kTrueMtime);
  prefetcher_->WaitIdle();
  cache_->WaitIdle();
  EXPECT_EQ(fake_.head_object_count(), 0u);
  EXPECT_GE(counters_.Get(Counter::kStatFetches), 1u);
  fake_.ResetCounters();
  auto data = ReadFile(entry->ino, 64 * 1024);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, data_["d/f1000"]);
  EXPECT_EQ(fake_.get_range_count(), 0u) << "read from the disk cache";
}

}  // namespace
}  // namespace swiftfs::core
