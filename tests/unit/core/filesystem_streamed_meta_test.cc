// mtime=meta in a streamed directory (more than stream_directory_entries): readdirplus
// queues no HEAD (the kernel sends the first one to every walk, `find` and `ls` too, which
// never stat its entries); the stats of what it handed out queue the HEADs of the files
// after them, a window ahead, so `ls -l` stays pipelined. Issue 11: `find -type f` of
// 100,000 objects sent about 700 HEADs from the first readdirplus reply.
//
// HEADs run on the VersionFetcher's worker thread (one here, so they run in queue order).
// "None queued" is checked with a barrier: a stat in a small directory queues the HEAD
// of the file after it, and once the worker has sent that one, it has sent everything
// queued before it.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectClient;
using testing::FakeObjectOptions;

// X-Object-Meta-Mtime of every file of many/ (2001-09-09), unlike its listing time.
constexpr swift::WallTime kMetaMtime{std::chrono::seconds(1'000'000'000)};
constexpr int kFiles = 300;
// Entries a readdirplus reply holds here (the kernel's: about 800 of 128 KiB).
constexpr size_t kReply = 80;
// At least this many files ahead of the stats have their HEADs queued: a window
// (kMetaPrefetchAhead, 128) is queued every half window.
constexpr int kAhead = 64;

class StreamedMetaTest : public FilesystemTest {
 protected:
  StreamedMetaTest() {
    options_.mtime = MtimeSource::kMeta;
    options_.meta_fetchers = 1;               // HEADs in queue order (see the barrier)
    options_.stream_directory_entries = 100;  // many/ (305 entries) is streamed
    fake_.SetClusterInfo(swift::ClusterInfo{.container_listing_limit = 50});
    for (int i = 0; i < kFiles; ++i) {
      fake_.PutObject("c", "many/f" + std::to_string(1000 + i), "x",
                      FakeObjectOptions{.meta_mtime = kMetaMtime});
      // Subdirectories between the files: no version, no HEAD, no gap in the window.
      if (i % 60 == 0) fake_.PutObject("c", "many/f" + std::to_string(1000 + i) + "d/x", "x");
    }
    fake_.PutObject("c", "probe/p0", "x");
    fake_.PutObject("c", "probe/p1", "x");
    fake_.SetFaultHook(FakeObjectClient::Op::kHeadObject, [this](const FakeObjectClient::Call& c) {
      std::lock_guard<std::mutex> lock(mu_);
      heads_.push_back(c.name);
      changed_.notify_all();
      return std::optional<Error>();
    });
  }

  // HEADs sent of many/'s files.
  size_t ManyHeads() {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const std::string& name : heads_) n += name.starts_with("many/") ? 1 : 0;
    return n;
  }
  // Waits until `done` holds of the HEADs sent; false if it did not within 20 s (a
  // HEAD that is never sent: only the failure of a test waits that long).
  template <typename Done>
  bool WaitForHeads(Done done) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return done(heads_); });
  }
  bool WaitForManyHeads(size_t n) {
    return WaitForHeads([&](const std::vector<std::string>& heads) {
      size_t got = 0;
      for (const std::string& name : heads) got += name.starts_with("many/") ? 1 : 0;
      return got >= n;
    });
  }
  // Returns once every HEAD queued so far has been sent: a stat of probe/p0 (a small
  // directory, its listing cached) queues p1's HEAD behind them.
  void Barrier() {
    for (const DirEntry& e : ReadAll(Ino("probe"), true)) {
      if (e.name == "p0") {
        ASSERT_TRUE(fs_->GetAttr(e.entry.ino).ok());
      }
    }
    ASSERT_TRUE(WaitForHeads([](const std::vector<std::string>& heads) {
      return std::find(heads.begin(), heads.end(), "probe/p1") != heads.end();
    }));
  }

  // One readdir(plus) reply of at most kReply entries from `offset`; "." and ".." left out.
  std::vector<DirEntry> Reply(InodeId dir, uint64_t handle, uint64_t& offset, bool plus) {
    std::vector<DirEntry> out;
    size_t got = 0;
    EXPECT_TRUE(fs_->ReadDir(dir, handle, offset, plus,
                             [&](const DirEntry& e) {
                               if (got == kReply) return false;
                               ++got;
                               offset = e.next_offset;
                               if (e.name != "." && e.name != "..") out.push_back(e);
                               return true;
                             })
                    .ok());
    return out;
  }

  static int FilesIn(const std::vector<DirEntry>& entries) {
    return static_cast<int>(std::count_if(entries.begin(), entries.end(), [](const DirEntry& e) {
      return S_ISREG(e.entry.attr.st_mode);
    }));
  }

  // Stats the files of `entries` in order, as `ls -l` does, checking before each that the
  // HEADs of the files up to kAhead after the last one stat'ed (of the `handed` handed out
  // so far) were sent: queued by what came before it, and sent by the worker meanwhile,
  // so more HEADs than stats. `statted`: files stat'ed so far.
  void StatInOrder(const std::vector<DirEntry>& entries, int handed, int& statted) {
    for (const DirEntry& e : entries) {
      if (!S_ISREG(e.entry.attr.st_mode)) continue;
      if (statted > 0) {
        ASSERT_TRUE(WaitForManyHeads(std::min(handed, statted + kAhead)))
            << "stat " << statted << " (" << e.name << "): only " << ManyHeads()
            << " HEADs sent, the stats are not fetched ahead";
      }
      ASSERT_EQ(e.entry.attr_timeout.count(), 0) << e.name;  // unknown version: not cached
      auto attr = fs_->GetAttr(e.entry.ino);
      ASSERT_TRUE(attr.ok()) << e.name;
      EXPECT_EQ(attr->attr.st_mtim.tv_sec, 1'000'000'000) << e.name;
      EXPECT_EQ(attr->attr.st_mtim.tv_nsec, 0) << e.name;
      ++statted;
    }
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<std::string> heads_;  // names HEADed, in order
};

TEST_F(StreamedMetaTest, FindSendsNoHead) {
  Mount();
  const InodeId many = Ino("many");
  // The kernel with READDIRPLUS_AUTO, under `find` or `ls`: readdirplus for the first
  // reply, plain readdir after it (nothing stat'ed the entries).
  auto handle = fs_->OpenDir(many);
  ASSERT_TRUE(handle.ok());
  uint64_t offset = 0;
  size_t entries = Reply(many, *handle, offset, true).size();
  while (true) {
    const size_t got = Reply(many, *handle, offset, false).size();
    if (got == 0) break;
    entries += got;
  }
  fs_->ReleaseDir(*handle);
  EXPECT_EQ(entries, kFiles + 5u);
  // A kernel without READDIRPLUS_AUTO: readdirplus all the way.
  EXPECT_EQ(ReadAll(many, true).size(), kFiles + 5u);
  Barrier();
  EXPECT_EQ(ManyHeads(), 0u);
}

TEST_F(StreamedMetaTest, StatsAfterReadingItAllAreFetchedAhead) {
  Mount();
  const auto entries = ReadAll(Ino("many"), true);  // handle released before the stats
  ASSERT_EQ(entries.size(), kFiles + 5u);
  Barrier();
  EXPECT_EQ(ManyHeads(), 0u);
  int statted = 0;
  StatInOrder(entries, FilesIn(entries), statted);
  EXPECT_EQ(statted, kFiles);
  EXPECT_EQ(ManyHeads(), static_cast<size_t>(kFiles));  // once each
}

TEST_F(StreamedMetaTest, LsMinusLIsPipelined) {
  Mount();
  const InodeId many = Ino("many");
  // `ls -l`: a reply, the stats of its entries, the next reply (readdirplus again, the
  // kernel saw the stats), and so on.
  auto handle = fs_->OpenDir(many);
  ASSERT_TRUE(handle.ok());
  uint64_t offset = 0;
  int statted = 0;
  int handed = 0;
  while (true) {
    const auto entries = Reply(many, *handle, offset, true);
    if (entries.empty()) break;
    if (handed == 0) {
      Barrier();
      EXPECT_EQ(ManyHeads(), 0u) << "readdirplus queued HEADs before any stat";
    }
    handed += FilesIn(entries);
    StatInOrder(entries, handed, statted);
    if (HasFatalFailure()) break;
  }
  fs_->ReleaseDir(*handle);
  EXPECT_EQ(statted, kFiles);
  EXPECT_EQ(ManyHeads(), static_cast<size_t>(kFiles));
}

TEST_F(StreamedMetaTest, AStatOutOfListingOrderFetchesNothingAhead) {
  Mount();
  const auto entries = ReadAll(Ino("many"), true);
  ASSERT_EQ(entries.size(), kFiles + 5u);
  // A program stat'ing one name it knows (here after `ls` read the directory).
  auto attr = fs_->GetAttr(entries[150].entry.ino);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_mtim.tv_sec, 1'000'000'000);
  Barrier();
  EXPECT_EQ(ManyHeads(), 1u);
}

}  // namespace
}  // namespace swiftfs::core
