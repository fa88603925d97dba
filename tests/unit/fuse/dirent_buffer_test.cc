// DirentBuffer packs entries with libfuse's real fuse_add_direntry{,_plus}: these tests
// check the buffer-full contract the readdir callbacks rely on, without a kernel.

#include "fuse/dirent_buffer.h"

#include <gtest/gtest.h>
#include <linux/fuse.h>

#include <cstring>
#include <string>
#include <vector>

namespace swiftfs::fuse {
namespace {

core::DirEntry Entry(const std::string& name, core::InodeId ino, uint64_t next) {
  core::DirEntry e;
  e.name = name;
  e.entry.ino = ino;
  e.entry.attr.st_ino = ino;
  e.entry.attr.st_mode = S_IFREG | 0444;
  e.entry.attr.st_size = 42;
  e.entry.attr_timeout = std::chrono::duration<double>(5);
  e.entry.entry_timeout = std::chrono::duration<double>(7);
  e.next_offset = next;
  return e;
}

// Decodes a readdir buffer (struct fuse_dirent records) into names and offsets.
std::vector<std::pair<std::string, uint64_t>> Decode(std::span<const char> data) {
  std::vector<std::pair<std::string, uint64_t>> out;
  size_t pos = 0;
  while (pos < data.size()) {
    fuse_dirent d;
    std::memcpy(&d, data.data() + pos, sizeof(d));
    out.emplace_back(std::string(data.data() + pos + FUSE_NAME_OFFSET, d.namelen), d.off);
    pos += FUSE_DIRENT_SIZE(&d);
  }
  return out;
}

TEST(DirentBufferTest, PacksEntriesWithTheirOffsets) {
  DirentBuffer buffer(4096, /*plus=*/false);
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(buffer.Add(Entry(".", 1, 1)));
  EXPECT_TRUE(buffer.Add(Entry("a file with spaces", 2, 2)));
  EXPECT_TRUE(buffer.Add(Entry("caf\xc3\xa9", 3, 3)));
  auto decoded = Decode(buffer.data());
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[1].first, "a file with spaces");
  EXPECT_EQ(decoded[1].second, 2u);
  EXPECT_EQ(decoded[2].first, "caf\xc3\xa9");
  EXPECT_EQ(buffer.entries(), 3u);
}

TEST(DirentBufferTest, RefusesAnEntryThatDoesNotFitAndAppendsNothing) {
  // A record of a 10-byte name takes 24 + 10 bytes rounded up to 40; of a 1-byte name, 32.
  DirentBuffer buffer(112, /*plus=*/false);
  EXPECT_TRUE(buffer.Add(Entry("0123456789", 2, 1)));
  EXPECT_TRUE(buffer.Add(Entry("0123456789", 3, 2)));
  const size_t used = buffer.data().size();
  EXPECT_FALSE(buffer.Add(Entry("0123456789", 4, 3)));
  EXPECT_EQ(buffer.data().size(), used);
  EXPECT_EQ(buffer.entries(), 2u);
  // A shorter entry may still fit in the 32 bytes left after a refused one.
  EXPECT_TRUE(buffer.Add(Entry("x", 5, 4)));
  EXPECT_EQ(buffer.data().size(), 112u);
}

// Room for exactly three readdirplus records of one- or two-byte names.
size_t plus_capacity_for_three() {
  DirentBuffer probe(4096, true);
  for (const char* name : {".", "..", "a"}) probe.Add(Entry(name, 1, 1));
  return probe.data().size();
}

TEST(DirentBufferTest, PlusRecordsAreLargerAndRefusedWhenFull) {
  DirentBuffer plain(4096, false);
  DirentBuffer plus(4096, true);
  ASSERT_TRUE(plain.Add(Entry("name", 2, 1)));
  ASSERT_TRUE(plus.Add(Entry("name", 2, 1)));
  EXPECT_GT(plus.data().size(), plain.data().size());

  DirentBuffer small(plus.data().size() + 10, true);
  EXPECT_TRUE(small.Add(Entry("name", 2, 1)));
  EXPECT_FALSE(small.Add(Entry("name", 3, 2)));
  EXPECT_EQ(small.entries(), 1u);
}

TEST(DirentBufferTest, PlusRemembersTheLookupsItsEntriesCarry) {
  DirentBuffer plus(plus_capacity_for_three(), true);
  ASSERT_TRUE(plus.Add(Entry(".", 1, 1)));
  ASSERT_TRUE(plus.Add(Entry("..", 1, 2)));
  ASSERT_TRUE(plus.Add(Entry("a", 5, 3)));
  EXPECT_FALSE(plus.Add(Entry("b", 6, 4)));  // refused: carries nothing
  EXPECT_EQ(std::vector<core::InodeId>(plus.counted().begin(), plus.counted().end()),
            std::vector<core::InodeId>{5});
  DirentBuffer plain(4096, false);
  ASSERT_TRUE(plain.Add(Entry("a", 5, 1)));
  EXPECT_TRUE(plain.counted().empty());  // plain readdir counts no lookups
}

TEST(DirentBufferTest, PlusRecordCarriesTheEntryAttributes) {
  DirentBuffer buffer(4096, true);
  ASSERT_TRUE(buffer.Add(Entry("f", 9, 1)));
  fuse_direntplus record;
  std::memcpy(&record, buffer.data().data(), sizeof(record));
  EXPECT_EQ(record.entry_out.nodeid, 9u);
  EXPECT_EQ(record.entry_out.attr.size, 42u);
  EXPECT_EQ(record.entry_out.entry_valid, 7u);
  EXPECT_EQ(record.entry_out.attr_valid, 5u);
  EXPECT_EQ(
      std::string(reinterpret_cast<const char*>(buffer.data().data()) + FUSE_NAME_OFFSET_DIRENTPLUS,
                  record.dirent.namelen),
      "f");
}

TEST(DirentBufferTest, AZeroCapacityBufferTakesNothing) {
  DirentBuffer buffer(0, false);
  EXPECT_FALSE(buffer.Add(Entry("a", 2, 1)));
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace swiftfs::fuse
