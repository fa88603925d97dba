#include "cache/disk/block_file.h"

#include <gtest/gtest.h>

#include <random>

#include "cache/disk/crc32c.h"

namespace swiftfs::cache {
namespace {

std::string Encode(const BlockKey& key, uint64_t index, const std::string& data) {
  std::string file =
      EncodeBlockHeader(key, index, static_cast<uint32_t>(data.size()), Crc32c(data));
  file.resize(BlockDataOffset(key.encoded().size(), data.size()), '\0');
  return file + data;
}

TEST(Crc32cTest, KnownValue) {
  // The check value of CRC-32C (RFC 3720, appendix B.4).
  EXPECT_EQ(Crc32c(std::string_view("123456789")), 0xE3069283u);
  EXPECT_EQ(Crc32cPortable(std::string_view("123456789")), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string_view("")), 0u);
}

TEST(Crc32cTest, FastAndPortableAgreeOnEveryLengthAndContinue) {
  std::mt19937 random(7);
  std::string data(1000, '\0');
  for (char& c : data) c = static_cast<char>(random());
  for (size_t n = 0; n < data.size(); n += 37) {
    std::span<const char> part(data.data(), n);
    ASSERT_EQ(Crc32c(part), Crc32cPortable(part)) << n;
  }
  std::span<const char> all(data);
  EXPECT_EQ(Crc32c(all.subspan(100), Crc32c(all.first(100))), Crc32c(all));
}

// Long inputs take the three-way path (three interleaved chains, joined): the same values
// as the byte-wise table, around its threshold, at a block's size, and continuing.
TEST(Crc32cTest, LongInputsAgreeWithPortable) {
  std::mt19937 random(11);
  std::string data((1 << 20) + 21, '\0');
  for (char& c : data) c = static_cast<char>(random());
  for (size_t n : {size_t{12287}, size_t{12288}, size_t{12289}, size_t{12295}, size_t{65536 + 5},
                   size_t{1} << 20, data.size()}) {
    std::span<const char> part(data.data(), n);
    ASSERT_EQ(Crc32c(part), Crc32cPortable(part)) << n;
    ASSERT_EQ(Crc32c(part, 0xDEADBEEF), Crc32cPortable(part, 0xDEADBEEF)) << n;
  }
  std::span<const char> all(data);
  EXPECT_EQ(Crc32c(all.subspan(5000), Crc32c(all.first(5000))), Crc32cPortable(all));
}

TEST(BlockKeyTest, EveryFieldCountsAndNoConcatenationCollides) {
  const BlockKey key("acct", "c", "o", "etag1");
  EXPECT_NE(key.encoded(), BlockKey("acct", "c", "o", "etag2").encoded());
  EXPECT_NE(key.encoded(), BlockKey("acct2", "c", "o", "etag1").encoded());
  EXPECT_NE(key.encoded(), BlockKey("acct", "c2", "o", "etag1").encoded());
  // "c" + "o/x" and "c/o" + "x" must differ even though the bytes concatenate alike.
  EXPECT_NE(BlockKey("a", "c", "o/x", "e").encoded(), BlockKey("a", "c/o", "x", "e").encoded());
  EXPECT_NE(BlockPath(MakeBlockId(key, 0)),
            BlockPath(MakeBlockId(BlockKey("acct", "c", "o", "etag2"), 0)));
  EXPECT_NE(BlockPath(MakeBlockId(key, 0)), BlockPath(MakeBlockId(key, 1)));
}

TEST(BlockFileTest, PathRoundTrips) {
  const BlockId id = MakeBlockId(BlockKey("a", "c", "o", "e"), 12345);
  const std::string path = BlockPath(id);  // blocks/XX/<32 hex>.12345
  ASSERT_EQ(path.substr(0, 7), "blocks/");
  const std::string fan = path.substr(7, 2);
  auto parsed = ParseBlockFileName(fan, path.substr(10));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, id);
  EXPECT_FALSE(ParseBlockFileName(fan == "00" ? "01" : "00", path.substr(10)).has_value());
  EXPECT_FALSE(ParseBlockFileName(fan, "junk").has_value());
  EXPECT_FALSE(ParseBlockFileName(fan, path.substr(10) + "x").has_value());
  EXPECT_FALSE(ParseBlockFileName(fan, path.substr(10, 33)).has_value());  // no index
}

TEST(BlockFileTest, DecodesOnlyTheExactBlockItWasAskedFor) {
  const BlockKey key("a", "c", "o", "e");
  const std::string data = "hello, block";
  const std::string file = Encode(key, 3, data);
  auto decoded = DecodeBlock(file, key, 3, data.size());
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::string(decoded->data(), decoded->size()), data);

  EXPECT_FALSE(DecodeBlock(file, BlockKey("a", "c", "o", "f"), 3, data.size()));  // other ETag
  EXPECT_FALSE(DecodeBlock(file, key, 4, data.size()));                           // other index
  EXPECT_FALSE(DecodeBlock(file, key, 3, data.size() - 1));                       // other size
}

TEST(BlockFileTest, AnyFlippedByteOrTruncationFailsVerification) {
  const BlockKey key("a", "c", "o", "e");
  const std::string data(300, 'z');
  const std::string file = Encode(key, 0, data);
  for (size_t i = 0; i < file.size(); ++i) {
    std::string bad = file;
    bad[i] ^= 0x01;
    ASSERT_FALSE(DecodeBlock(bad, key, 0, data.size())) << "flipped byte " << i;
  }
  for (size_t n : {size_t{0}, size_t{10}, kBlockHeaderSize, file.size() - 1}) {
    ASSERT_FALSE(DecodeBlock(std::string_view(file).substr(0, n), key, 0, data.size())) << n;
  }
  ASSERT_FALSE(DecodeBlock(file + "x", key, 0, data.size()));
}

TEST(BlockFileTest, LargeBlocksStartTheirDataAtAnAlignedOffset) {
  const BlockKey key("acct", "c", "name", "etag");
  const size_t after_key = kBlockHeaderSize + key.encoded().size();
  EXPECT_EQ(BlockDataOffset(key.encoded().size(), kAlignedDataMin - 1), after_key);
  EXPECT_EQ(BlockDataOffset(key.encoded().size(), kAlignedDataMin), kDataAlignment);
  EXPECT_EQ(BlockDataOffset(5000, kAlignedDataMin), 2 * kDataAlignment);  // a long key
  EXPECT_EQ(BlockFileSize(key.encoded().size(), 1 << 20), kDataAlignment + (1 << 20));

  std::string data(kAlignedDataMin + 7, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31);
  const std::string file = Encode(key, 2, data);
  ASSERT_EQ(file.size(), kDataAlignment + data.size());
  auto decoded = DecodeBlock(file, key, 2, data.size());
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(std::string(decoded->data(), decoded->size()), data);

  // The same block without the padding (as if written in the compact form): invalid.
  const std::string compact = file.substr(0, after_key) + data;
  EXPECT_FALSE(DecodeBlock(compact, key, 2, data.size()));
  // A non-zero byte in the padding: invalid (no byte of a valid file is unchecked).
  for (size_t i : {after_key, kDataAlignment - 1}) {
    std::string bad = file;
    bad[i] = 'x';
    EXPECT_FALSE(DecodeBlock(bad, key, 2, data.size())) << i;
  }
}

}  // namespace
}  // namespace swiftfs::cache
