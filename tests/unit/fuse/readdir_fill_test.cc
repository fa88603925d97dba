// The readdir callbacks' fill step against the real core::Filesystem over the fake object
// client: a directory read through many small reply buffers, resuming each call at the
// offset of the last entry the previous one packed, yields every entry exactly once.

#include <gtest/gtest.h>
#include <linux/fuse.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "fuse/dirent_buffer.h"
#include "support/fake_clock.h"
#include "support/fake_object_client.h"

namespace swiftfs::fuse {
namespace {

struct Decoded {
  std::string name;
  uint64_t ino = 0;
  uint64_t offset = 0;
  uint64_t size = 0;  // plus only
};

std::vector<Decoded> Decode(std::span<const char> data, bool plus) {
  std::vector<Decoded> out;
  size_t pos = 0;
  while (pos < data.size()) {
    Decoded d;
    fuse_dirent dirent;
    size_t name_at;
    if (plus) {
      fuse_direntplus record;
      std::memcpy(&record, data.data() + pos, sizeof(record));
      dirent = record.dirent;
      d.size = record.entry_out.attr.size;
      name_at = pos + FUSE_NAME_OFFSET_DIRENTPLUS;
      pos += FUSE_DIRENTPLUS_SIZE(&record);
    } else {
      std::memcpy(&dirent, data.data() + pos, sizeof(dirent));
      name_at = pos + FUSE_NAME_OFFSET;
      pos += FUSE_DIRENT_SIZE(&dirent);
    }
    d.name.assign(data.data() + name_at, dirent.namelen);
    d.ino = dirent.ino;
    d.offset = dirent.off;
    out.push_back(d);
  }
  return out;
}

class ReadDirFillTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    client_.CreateContainer("c");
    for (int i = 0; i < kObjects; ++i) {
      client_.PutObject("c", "dir/obj" + std::to_string(1000 + i), std::string(1 + i % 7, 'x'));
    }
    core::FsOptions options;
    options.container = "c";
    // mtime=server: with mtime=meta a readdirplus past the first buffer queues the entries'
    // version HEADs (core tests, filesystem_mtime_test.cc); here only buffers are at stake.
    options.mtime = core::MtimeSource::kServer;
    fs_ = std::make_unique<core::Filesystem>(options, client_, clock_, logger_);
    ASSERT_TRUE(fs_->Init().ok());
  }

  static constexpr int kObjects = 300;
  testing::FakeObjectClient client_;
  testing::FakeClock clock_;
  NullLogger logger_;
  std::unique_ptr<core::Filesystem> fs_;
};

TEST_P(ReadDirFillTest, SmallBuffersYieldEveryEntryOnce) {
  const bool plus = GetParam();
  auto dir = fs_->Lookup(core::kRootInode, "dir");
  ASSERT_TRUE(dir.ok());
  auto handle = fs_->OpenDir(dir->ino);
  ASSERT_TRUE(handle.ok());

  std::vector<Decoded> all;
  uint64_t offset = 0;
  int calls = 0;
  for (;; ++calls) {
    ASSERT_LT(calls, 1000) << "readdir does not end";
    DirentBuffer buffer(plus ? 700 : 200, plus);  // a few entries per call
    ASSERT_TRUE(FillDirBuffer(*fs_, dir->ino, *handle, offset, buffer).ok());
    if (buffer.empty()) break;  // end of directory: an empty reply
    auto page = Decode(buffer.data(), plus);
    ASSERT_EQ(page.size(), buffer.entries());
    offset = page.back().offset;
    all.insert(all.end(), page.begin(), page.end());
  }
  EXPECT_GT(calls, 10);
  ASSERT_EQ(all.size(), static_cast<size_t>(kObjects) + 2);  // with "." and ".."
  EXPECT_EQ(all[0].name, ".");
  EXPECT_EQ(all[1].name, "..");
  std::set<std::string> names;
  for (const auto& d : all) names.insert(d.name);
  EXPECT_EQ(names.size(), all.size()) << "an entry was returned twice";
  for (size_t i = 2; i < all.size(); ++i) {
    const int n = static_cast<int>(i) - 2;
    EXPECT_EQ(all[i].name, "obj" + std::to_string(1000 + n));
    EXPECT_NE(all[i].ino, 0u);
    if (plus) {
      EXPECT_EQ(all[i].size, static_cast<uint64_t>(1 + n % 7));
    }
  }
  // Every inode a readdirplus reply handed out is known to the filesystem.
  if (plus) {
    for (size_t i = 2; i < all.size(); ++i) {
      EXPECT_TRUE(fs_->GetAttr(all[i].ino).ok());
    }
  }
  fs_->ReleaseDir(*handle);
  // (Objects are non-empty: a 0-byte listing entry may be a DLO manifest, which the core
  // HEADs for its real size.)
  EXPECT_EQ(client_.head_object_count(), 0u) << "readdir must not HEAD each entry";
}

TEST_P(ReadDirFillTest, ABufferTooSmallForOneEntryStaysEmpty) {
  const bool plus = GetParam();
  auto dir = fs_->Lookup(core::kRootInode, "dir");
  ASSERT_TRUE(dir.ok());
  auto handle = fs_->OpenDir(dir->ino);
  ASSERT_TRUE(handle.ok());
  // Skip "." and "..", then offer 16 bytes: no record fits, nothing is consumed.
  DirentBuffer tiny(16, plus);
  ASSERT_TRUE(FillDirBuffer(*fs_, dir->ino, *handle, 2, tiny).ok());
  EXPECT_TRUE(tiny.empty());
  DirentBuffer next(4096, plus);
  ASSERT_TRUE(FillDirBuffer(*fs_, dir->ino, *handle, 2, next).ok());
  auto page = Decode(next.data(), plus);
  ASSERT_FALSE(page.empty());
  EXPECT_EQ(page[0].name, "obj1000");
  fs_->ReleaseDir(*handle);
}

INSTANTIATE_TEST_SUITE_P(PlainAndPlus, ReadDirFillTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Plus" : "Plain"; });

}  // namespace
}  // namespace swiftfs::fuse
