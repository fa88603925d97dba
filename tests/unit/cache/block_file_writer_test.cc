#include "cache/disk/block_file_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <span>
#include <utility>
#include <vector>

#include "cache/disk/crc32c.h"
#include "unit/cache/disk_cache_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Pattern;
using testing_util::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every size class: small (compact), the aligned minimum, a whole 1 MiB block, and a last
// block whose end is not aligned (the O_DIRECT image is padded, then the file cut).
class BlockFileWriterTest : public ::testing::TestWithParam<bool> {};

TEST_P(BlockFileWriterTest, WritesExactlyTheFileDecodeBlockExpects) {
  BlockFileWriter writer(GetParam());
  TempDir dir;
  const BlockKey key("acct", "cont", "dir/object", "0123456789abcdef");
  for (size_t size : {size_t{1}, size_t{4000}, kAlignedDataMin, size_t{1} << 20,
                      (size_t{1} << 20) - 4095, size_t{300000}}) {
    const std::string data = Pattern(size, static_cast<int>(size % 26));
    const std::string path = dir.path() + "/block";
    ASSERT_TRUE(writer.Write(path, key, 9, data, Crc32c(data)).ok()) << size;
    const std::string file = ReadFile(path);
    ASSERT_EQ(file.size(), BlockFileSize(key.encoded().size(), size)) << size;
    auto decoded = DecodeBlock(file, key, 9, static_cast<uint32_t>(size));
    ASSERT_TRUE(decoded.has_value()) << size;
    ASSERT_EQ(std::string(decoded->data(), decoded->size()), data) << size;
  }
}

TEST_P(BlockFileWriterTest, OverwritesALongerFileWhole) {
  BlockFileWriter writer(GetParam());
  TempDir dir;
  const BlockKey key("a", "c", "o", "e");
  const std::string path = dir.path() + "/block";
  const std::string big = Pattern(size_t{1} << 20, 1);
  ASSERT_TRUE(writer.Write(path, key, 0, big, Crc32c(big)).ok());
  const std::string smaller = Pattern(kAlignedDataMin + 1, 2);
  ASSERT_TRUE(writer.Write(path, key, 0, smaller, Crc32c(smaller)).ok());
  const std::string file = ReadFile(path);
  auto decoded = DecodeBlock(file, key, 0, static_cast<uint32_t>(smaller.size()));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::string(decoded->data(), decoded->size()), smaller);
}

TEST_P(BlockFileWriterTest, AFailedWriteSaysWhyAndLeavesNothing) {
  BlockFileWriter writer(GetParam());
  TempDir dir;
  const std::string path = dir.path() + "/missing/block";
  const std::string data = Pattern(size_t{1} << 20);
  Status written = writer.Write(path, BlockKey("a", "c", "o", "e"), 0, data, Crc32c(data));
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find(path), std::string::npos) << written.error().message;
  EXPECT_FALSE(std::filesystem::exists(path));
}

INSTANTIATE_TEST_SUITE_P(DirectAndBuffered, BlockFileWriterTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Direct" : "Buffered";
                         });

// A file system that refuses O_DIRECT (EINVAL at open, as some FUSE and network file
// systems do): the block is written through the page cache, whole, and so is every later
// one, without trying O_DIRECT again.
int direct_opens = 0;  // of RefuseDirect: O_DIRECT opens it refused
int RefuseDirect(const char* path, int flags, mode_t mode) {
  if ((flags & O_DIRECT) != 0) {
    ++direct_opens;
    errno = EINVAL;
    return -1;
  }
  return open(path, flags, mode);
}

TEST(BlockFileWriterDirectTest, AFileSystemRefusingDirectWritesGetsBufferedOnes) {
  TempDir dir;
  BlockFileWriter writer(true, &RefuseDirect);
  direct_opens = 0;
  const BlockKey key("a", "c", "o", "e");
  for (int i = 0; i < 3; ++i) {
    const std::string data = Pattern(size_t{1} << 20, i);
    const std::string path = dir.path() + "/b" + std::to_string(i);
    ASSERT_TRUE(writer.Write(path, key, 0, data, Crc32c(data)).ok()) << i;
    const std::string file = ReadFile(path);
    auto decoded = DecodeBlock(file, key, 0, static_cast<uint32_t>(data.size()));
    ASSERT_TRUE(decoded.has_value()) << i;
    EXPECT_EQ(std::string(decoded->data(), decoded->size()), data) << i;
  }
  EXPECT_FALSE(writer.direct());
  EXPECT_EQ(direct_opens, 1);  // tried once, then never again
}

// A large block written the direct way leaves no page of its data in the page cache (the
// point of it: no copy into fresh page-cache pages); the buffered way leaves them all.
TEST(BlockFileWriterDirectTest, DirectWritesBypassThePageCache) {
  TempDir dir;
  const BlockKey key("a", "c", "o", "e");
  const std::string data = Pattern(size_t{1} << 20);
  auto resident_pages = [](const std::string& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    const size_t size = std::filesystem::file_size(path);
    void* map = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    EXPECT_NE(map, MAP_FAILED);
    std::vector<unsigned char> pages((size + 4095) / 4096);
    EXPECT_EQ(mincore(map, size, pages.data()), 0);
    munmap(map, size);
    size_t resident = 0;
    for (unsigned char page : pages) resident += page & 1;
    return resident;
  };
  BlockFileWriter buffered(false);
  ASSERT_TRUE(buffered.Write(dir.path() + "/buffered", key, 0, data, Crc32c(data)).ok());
  EXPECT_EQ(resident_pages(dir.path() + "/buffered"), 257u);

  BlockFileWriter direct;
  ASSERT_TRUE(direct.Write(dir.path() + "/direct", key, 0, data, Crc32c(data)).ok());
  if (!direct.direct()) GTEST_SKIP() << dir.path() << " refuses O_DIRECT: buffered path only";
  EXPECT_EQ(resident_pages(dir.path() + "/direct"), 0u);
}

// Data at an aligned address, a whole number of aligned units long (a block within a
// prefetched part) is written from where it lies; other data is copied first. Both decode.
TEST(BlockFileWriterDirectTest, AlignedDataIsWrittenInPlace) {
  TempDir dir;
  const BlockKey key("a", "c", "o", "e");
  constexpr size_t kSize = size_t{1} << 20;
  constexpr std::align_val_t kAlign{kDataAlignment};
  std::unique_ptr<char[], void (*)(char*)> buffer(
      static_cast<char*>(::operator new[](kSize + kDataAlignment, kAlign)),
      [](char* p) { ::operator delete[](p, std::align_val_t{kDataAlignment}); });
  const std::string pattern = Pattern(kSize + kDataAlignment, 7);
  std::memcpy(buffer.get(), pattern.data(), pattern.size());
  BlockFileWriter writer;
  const std::span<const char> aligned(buffer.get(), kSize);
  const std::span<const char> unaligned(buffer.get() + 1, kSize);
  const std::span<const char> short_tail(buffer.get(), kSize - 100);
  for (const auto& [name, data] : {std::pair{"aligned", aligned}, std::pair{"unaligned", unaligned},
                                   std::pair{"short", short_tail}}) {
    const std::string path = dir.path() + "/" + name;
    ASSERT_TRUE(writer.Write(path, key, 3, data, Crc32c(data)).ok()) << name;
    const std::string file = ReadFile(path);
    ASSERT_EQ(file.size(), BlockFileSize(key.encoded().size(), data.size())) << name;
    auto decoded = DecodeBlock(file, key, 3, static_cast<uint32_t>(data.size()));
    ASSERT_TRUE(decoded.has_value()) << name;
    EXPECT_TRUE(std::equal(data.begin(), data.end(), decoded->data())) << name;
  }
  if (!writer.direct()) GTEST_SKIP() << dir.path() << " refuses O_DIRECT: buffered path only";
  EXPECT_EQ(writer.in_place_writes(), 1u) << "only the aligned block is written in place";
}

}  // namespace
}  // namespace swiftfs::cache
