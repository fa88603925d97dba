// Concurrency smoke test: lookups, getattrs and reads on some threads while others list,
// expire caches and forget. Run under TSan (SWIFTFS_SANITIZE=thread) to check for races;
// here it checks that every answer stays correct and nothing deadlocks.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

TEST_F(FilesystemTest, ConcurrentLookupsReadsAndListings) {
  options_.attr_timeout = std::chrono::seconds(1);
  options_.dir_cache_timeout = std::chrono::seconds(1);
  constexpr int kFiles = 50;
  for (int i = 0; i < kFiles; ++i) {
    fake_.PutObject("c", "d/f" + std::to_string(i), std::string(1000 + i, 'a' + i % 26));
  }
  Mount();
  const InodeId d = Ino("d");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const int i = (round * 7 + t) % kFiles;
        auto e = fs_->Lookup(d, "f" + std::to_string(i));
        if (!e) {
          ++failures;
          continue;
        }
        auto attr = fs_->GetAttr(e->ino);
        if (!attr || attr->attr.st_size != 1000 + i) ++failures;
        auto open = fs_->Open(e->ino, O_RDONLY);
        if (!open) {
          ++failures;
          continue;
        }
        std::vector<char> buf(2000);
        auto got = fs_->Read(open->handle, 0, buf);
        if (!got || *got != static_cast<size_t>(1000 + i) || buf[0] != 'a' + i % 26) ++failures;
        fs_->Release(open->handle);
        fs_->Forget(e->ino, 1);
      }
    });
  }
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 10; ++round) {
        if (ReadAll(d, true).size() != kFiles) ++failures;
        clock_.Advance(std::chrono::milliseconds(300));  // caches expire mid-run
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace swiftfs::core
