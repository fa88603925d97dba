// With a disk cache the Filesystem is given the persistent version metadata store
// (cli::Stack): after a "remount" (a new Filesystem and a new store on the same cache
// directory) `ls -l` with mtime=meta shows the same mtimes and user metadata and costs no
// HEAD, where the in-memory store costs one HEAD per version again.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "swiftfs/cache/disk_version_store.h"
#include "unit/cache/disk_cache_test_util.h"
#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using std::chrono::seconds;
using testing::FakeObjectOptions;

class PersistentMetaTest : public FilesystemTest {
 protected:
  PersistentMetaTest() {
    options_.mtime = MtimeSource::kMeta;
    options_.meta_fetchers = 2;
    for (int i = 0; i < 5; ++i) {
      const int64_t mtime = 1'500'000'000 + i;
      fake_.PutObject(
          "c", "d/o" + std::to_string(i), "x",
          FakeObjectOptions{.meta_mtime = swift::WallTime(seconds(mtime)),
                            .metadata = {{"mtime", std::to_string(mtime)}, {"color", "blue"}}});
    }
  }

  // A mount with a cache directory: the store opened as cli::Stack does (after Init).
  void MountWithCacheDir() {
    fs_.reset();
    store_.reset();
    cache::DiskVersionStoreOptions options;
    options.dir = dir_.path();
    store_ = std::make_unique<cache::DiskVersionMetadataStore>(options, logger_);
    readers_ = std::make_unique<cache::SimpleFileReaderFactory>(fake_);
    fs_ = std::make_unique<Filesystem>(options_, fake_, *readers_, clock_, logger_, counters_,
                                       store_.get());
    ASSERT_TRUE(fs_->Init().ok());
    store_->Start("AUTH_test");
    fake_.ResetCounters();
  }

  // `ls -l`: readdirplus, then a getattr for each entry the kernel may not cache.
  std::map<std::string, int64_t> ListLongMtimes(const std::string& dir) {
    std::map<std::string, int64_t> out;
    for (const DirEntry& e : ReadAll(Ino(dir), true)) {
      struct stat st = e.entry.attr;
      if (e.entry.attr_timeout.count() == 0) {
        auto attr = fs_->GetAttr(e.entry.ino);
        EXPECT_TRUE(attr.ok()) << e.name;
        if (attr) st = attr->attr;
      }
      out[e.name] = st.st_mtim.tv_sec;
    }
    return out;
  }

  ~PersistentMetaTest() override { fs_.reset(); }  // before store_, which it uses

  cache::testing_util::TempDir dir_;
  std::unique_ptr<cache::DiskVersionMetadataStore> store_;
};

TEST_F(PersistentMetaTest, LsAfterARemountCostsNoHead) {
  MountWithCacheDir();
  const auto first = ListLongMtimes("d");
  EXPECT_EQ(fake_.head_object_count(), 5u);
  ASSERT_EQ(first.size(), 5u);
  EXPECT_EQ(first.at("o3"), 1'500'000'003);

  MountWithCacheDir();  // the old store commits what it queued as it goes
  EXPECT_EQ(ListLongMtimes("d"), first);
  EXPECT_EQ(*fs_->GetXattr(Ino("d/o2"), "user.swift.meta.color"), "blue");
  EXPECT_EQ(fake_.head_object_count(), 0u);
}

TEST_F(PersistentMetaTest, WithoutTheStoreARemountHeadsAgain) {
  Mount();
  ListLongMtimes("d");
  Mount();
  ListLongMtimes("d");
  EXPECT_EQ(fake_.head_object_count(), 5u);
}

}  // namespace
}  // namespace swiftfs::core
