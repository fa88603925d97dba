// Concurrency of the write path: files written at once on several threads (segments in
// flight in parallel, bounded by parallel_segment_uploads), two threads writing one file
// through two handles, and readers of a file being written. Run under TSan (label
// concurrency); here it checks every byte lands.
#include <gtest/gtest.h>

#include <thread>

#include "unit/core/write_fixture.h"

namespace swiftfs::core {
namespace {

TEST_F(WriteTest, ConcurrentWritersOfManyFilesAndOfOneFile) {
  options_.parallel_segment_uploads = 2;
  Mount();
  constexpr int kFiles = 4;
  std::vector<uint64_t> handles;
  for (int i = 0; i < kFiles; ++i) handles.push_back(CreateFile("f" + std::to_string(i)));
  const uint64_t shared = CreateFile("shared", O_RDWR | O_CREAT);
  const uint64_t shared2 = OpenFile(ino_, O_RDWR);
  const std::string half = Pattern(3 * kSegment, 9);

  std::vector<std::thread> threads;
  for (int i = 0; i < kFiles; ++i) {
    threads.emplace_back([&, i] {
      const std::string data = Pattern(5 * kSegment + i, i);
      for (size_t off = 0; off < data.size(); off += 1000) {
        auto n = std::min<size_t>(1000, data.size() - off);
        EXPECT_TRUE(fs_->Write(handles[i], off, std::span(data.data() + off, n)).ok());
      }
      EXPECT_TRUE(fs_->Flush(handles[i]).ok());
    });
  }
  // Two handles of one file: each writes its half, in order within the half.
  threads.emplace_back([&] {
    for (size_t off = 0; off < half.size(); off += 1000) {
      auto n = std::min<size_t>(1000, half.size() - off);
      EXPECT_TRUE(fs_->Write(shared, off, std::span(half.data() + off, n)).ok());
    }
  });
  threads.emplace_back([&] {
    for (size_t off = 0; off < half.size(); off += 1000) {
      auto n = std::min<size_t>(1000, half.size() - off);
      EXPECT_TRUE(fs_->Write(shared2, half.size() + off, std::span(half.data() + off, n)).ok());
      std::vector<char> buf(100);
      EXPECT_TRUE(fs_->Read(shared, off, buf).ok());
    }
  });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(fs_->Flush(shared).ok());
  fs_->Release(shared);
  fs_->Release(shared2);
  for (int i = 0; i < kFiles; ++i) {
    fs_->Release(handles[i]);
    EXPECT_TRUE(Stored("f" + std::to_string(i)) == Pattern(5 * kSegment + i, i)) << i;
  }
  EXPECT_TRUE(Stored("shared") == half + half);
}

}  // namespace
}  // namespace swiftfs::core
