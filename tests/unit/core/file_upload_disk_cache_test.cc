// A streamed upload under a real disk cache (CachingReaderFactory over a DiskCache, Swift
// faked): the bytes written land in the cache as they pass and become the committed
// version's blocks, so reading the file back costs no GET, even when the staging budget
// kept no local copy of it; a failed or abandoned upload leaves no block and gives its
// space back; a cap too small for the file caches less and fails nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "swiftfs/cache/caching_reader_factory.h"
#include "swiftfs/cache/disk_cache.h"
#include "unit/core/write_fixture.h"

namespace swiftfs::core {
namespace {

constexpr uint64_t kBlock = uint64_t{64} * 1024;
constexpr char kAccount[] = "AUTH_test";

class UploadDiskCacheTest : public WriteTest {
 protected:
  UploadDiskCacheTest() {
    char dir[] = "/tmp/swiftfs-upload-cache-test-XXXXXX";
    cache_dir_ = mkdtemp(dir);
    // A staging budget far below the files: the upload keeps no local copy (its tee is
    // given up), so whatever the cache gets it got as the bytes passed.
    options_.staging_size = uint64_t{16} * 1024;
  }
  ~UploadDiskCacheTest() override {
    fs_.reset();
    caching_.reset();
    cache_.reset();
    std::filesystem::remove_all(cache_dir_);
  }

  void OpenCache(uint64_t capacity = 0) {
    fs_.reset();
    caching_.reset();
    cache_.reset();
    cache::DiskCacheOptions options;
    options.dir = cache_dir_;
    options.capacity = capacity;
    options.free_margin_percent = 0;
    options.block_size = kBlock;
    auto cache = cache::DiskCache::Open(options, counters_, logger_);
    ASSERT_TRUE(cache.ok());
    cache_ = std::move(*cache);
    cache_->Start();
    inner_ = std::make_unique<cache::SimpleFileReaderFactory>(fake_);
    caching_ = std::make_unique<cache::CachingReaderFactory>(*inner_, *cache_, counters_, kAccount);
  }
  // A mount reading through the disk cache (a remount when called again).
  void MountCached() {
    fs_.reset();
    fs_ = std::make_unique<Filesystem>(options_, fake_, *caching_, clock_, logger_, counters_);
    ASSERT_TRUE(fs_->Init().ok());
    fake_.ResetCounters();
  }
  // Creates `name` and writes `data` in order, 4 KiB at a time (the kernel's way).
  uint64_t Stream(const std::string& name, const std::string& data) {
    const uint64_t h = CreateFile(name);
    WriteAll(h, data, 0, 4096);
    return h;
  }
  cache::BlockKey KeyOf(const std::string& name) {
    return cache::BlockKey(kAccount, "c", name, fake_.Stored("c", name)->etag);
  }
  uint64_t BlocksCached(const std::string& name, uint64_t size) {
    const cache::BlockKey key = KeyOf(name);
    uint64_t n = 0;
    for (uint64_t i = 0; i * kBlock < size; ++i) n += cache_->Contains(key, i) ? 1 : 0;
    return n;
  }
  std::string ReadBack(const std::string& name) {
    const uint64_t h = OpenFile(Lookup(name), O_RDONLY);
    std::string got = ReadHandle(h, 16 << 20);
    fs_->Release(h);
    return got;
  }
  size_t TempFiles() {
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cache_dir_ + "/tmp")) {
      (void)entry;
      ++n;
    }
    return n;
  }

  std::string cache_dir_;
  std::unique_ptr<cache::DiskCache> cache_;
  std::unique_ptr<cache::SimpleFileReaderFactory> inner_;
  std::unique_ptr<cache::CachingReaderFactory> caching_;
};

TEST_F(UploadDiskCacheTest, AStreamedFileIsCachedWholeAndReadBackWithoutAGet) {
  OpenCache();
  MountCached();
  const std::string data = Pattern(5 * kBlock + 777, 5);  // many segments, a short last block
  const uint64_t h = Stream("big", data);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  ASSERT_TRUE(IsManifest("big"));
  // Every block is there once the commit returns: none is left to a writer thread.
  EXPECT_EQ(BlocksCached("big", data.size()), 6u);
  EXPECT_EQ(cache_->stats().draft_bytes, 0u);
  EXPECT_EQ(TempFiles(), 0u);

  // In the same mount: the upload, kept for reads, holds no copy of it; the cache does.
  fake_.ResetCounters();
  EXPECT_TRUE(ReadBack("big") == data);
  EXPECT_EQ(fake_.get_range_count(), 0u);

  MountCached();  // a new mount: the listing's ETag of the manifest finds the blocks
  EXPECT_TRUE(ReadBack("big") == data);
  EXPECT_EQ(fake_.get_range_count(), 0u);
  EXPECT_EQ(counters_.Get(Counter::kDiskCacheCorrupt), 0u);
}

TEST_F(UploadDiskCacheTest, AFailedManifestPutLeavesNoBlockAndGivesTheSpaceBack) {
  OpenCache();
  MountCached();
  FailCalls(Op::kUploadManifest, "big", MakeError(ErrorCode::kNoSpace, "507", 507));
  const uint64_t h = Stream("big", Pattern(4 * kBlock + 3));
  cache_->WaitIdle();
  EXPECT_GT(cache_->stats().draft_bytes, 0u) << "blocks are stored as they pass";
  EXPECT_FALSE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(cache_->stats().bytes, 0u);
  EXPECT_EQ(cache_->stats().blocks, 0u);
  EXPECT_EQ(TempFiles(), 0u);
}

TEST_F(UploadDiskCacheTest, ASegmentPutThatFailsDropsTheBlocksBeforeTheClose) {
  OpenCache();
  MountCached();
  FailCalls(Op::kUploadObject, "big/", MakeError(ErrorCode::kNoSpace, "507", 507));
  const uint64_t h = CreateFile("big");
  const std::string data = Pattern(4 * kBlock);
  bool failed = false;
  for (uint64_t at = 0; at < data.size() && !failed; at += 4096) {
    failed = !fs_->Write(h, at, std::span<const char>(data.data() + at, 4096)).ok();
  }
  ASSERT_TRUE(failed) << "a write reports the failed segment";
  cache_->WaitIdle();
  EXPECT_EQ(cache_->stats().bytes, 0u);
  EXPECT_EQ(TempFiles(), 0u);
  EXPECT_FALSE(fs_->Flush(h).ok());
  fs_->Release(h);
}

TEST_F(UploadDiskCacheTest, AnUploadAbandonedByUnlinkLeavesNoBlock) {
  OpenCache();
  MountCached();
  const uint64_t h = Stream("gone", Pattern(3 * kBlock));
  cache_->WaitIdle();
  EXPECT_GT(cache_->stats().draft_bytes, 0u);
  ASSERT_TRUE(fs_->Unlink(kRootInode, "gone").ok());
  EXPECT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(cache_->stats().bytes, 0u);
  EXPECT_EQ(TempFiles(), 0u);
}

TEST_F(UploadDiskCacheTest, AFileThatLeavesStreamingIsCachedAsCommittedNotAsFirstWritten) {
  OpenCache();
  MountCached();
  options_.staging_size = 64 << 20;  // the staged commit needs its local copy
  MountCached();
  std::string data = Pattern(3 * kBlock, 2);
  const uint64_t h = Stream("f", data);
  WriteAll(h, "CHANGED", 10);  // behind the end: staged from here on
  data.replace(10, 7, "CHANGED");
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  MountCached();
  EXPECT_TRUE(ReadBack("f") == data);
}

TEST_F(UploadDiskCacheTest, ACapTooSmallForTheFileCachesLessAndTheUploadSucceeds) {
  const uint64_t footprint = uint64_t{72} * 1024;  // a block file of kBlock bytes, header and key
  OpenCache(2 * footprint);
  MountCached();
  const std::string data = Pattern(6 * kBlock, 9);
  const uint64_t h = Stream("big", data);
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_EQ(*Stored("big"), data);
  const uint64_t cached = BlocksCached("big", data.size());
  EXPECT_GE(cached, 1u);
  EXPECT_LE(cached, 2u);
  EXPECT_LE(cache_->stats().bytes, 2 * footprint);
  EXPECT_EQ(TempFiles(), 0u);
  MountCached();
  EXPECT_TRUE(ReadBack("big") == data);
}

}  // namespace
}  // namespace swiftfs::core
