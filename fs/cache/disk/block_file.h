#pragma once
// The on-disk form of one cached block, and where it lives.
//
// A block file is a 32-byte header, the object's full key, then the block's bytes:
//
//   "SWFSBLK2" | key length u32 | data length u32 | block index u64 | data CRC-32C u32 |
//   header CRC-32C u32 (of the 28 bytes before it and the key) | key | [zeros] | data
//
// (little-endian). The data of a block of kAlignedDataMin bytes or more starts at the next
// multiple of kDataAlignment after the key (zeros between), so that it can be written with
// O_DIRECT (block_file_writer.h); smaller blocks follow the key at once, to keep small
// files to one disk block. Where the data starts follows from the key's and the data's
// sizes alone (BlockDataOffset). Files of the layout before ("SWFSBLK1": the data always
// right after the key) are dropped as they are met, as stale rather than corrupt. The file name is
// a hash of the key, but a block is only ever returned when its header names the same key, index
// and length the reader expects and both CRCs match: a hash collision, a truncated or corrupted
// file, or a file left half-written reads as "absent", never as data. The key holds the ETag, so a
// changed object never matches the blocks of its previous version.
//
// Layout of a cache directory: lock (flock, owner pid), blocks/XX/<32 hex>.<index> (256
// fan-out directories by the hash's first byte), tmp/ (block files being written; renamed
// into blocks/ when complete; whatever is left there at start-up is removed).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "swiftfs/cache/disk_cache.h"

namespace swiftfs::cache {

inline constexpr size_t kBlockHeaderSize = 32;
inline constexpr size_t kDataAlignment = 4096;
inline constexpr size_t kAlignedDataMin = size_t{64} * 1024;

// Where a block's data starts in its file, for a key encoding to `key_size` bytes.
size_t BlockDataOffset(size_t key_size, size_t data_size);
// The exact size of that block's file.
inline size_t BlockFileSize(size_t key_size, size_t data_size) {
  return BlockDataOffset(key_size, data_size) + data_size;
}

struct BlockId {
  uint64_t hi = 0;
  uint64_t lo = 0;
  uint64_t index = 0;
  bool operator==(const BlockId&) const = default;
};

struct BlockIdHash {
  size_t operator()(const BlockId& id) const { return id.lo ^ (id.index * 0x9E3779B97F4A7C15ull); }
};

BlockId MakeBlockId(const BlockKey& key, uint64_t index);

// "blocks/ab/<32 hex>.<index>", relative to the cache directory.
std::string BlockPath(const BlockId& id);
// The id a file name under blocks/<fan>/ stands for; nullopt for anything else.
std::optional<BlockId> ParseBlockFileName(std::string_view fan, std::string_view file);

// The header of a block of `data_size` bytes with checksum `data_crc`, followed by the key
// (the zeros up to the data, if any, are not included).
std::string EncodeBlockHeader(const BlockKey& key, uint64_t index, uint32_t data_size,
                              uint32_t data_crc);

// Whether `file` is a block file of the layout before this one ("SWFSBLK1").
bool IsOldBlockFile(std::span<const char> file);

// The data of a block file's bytes when they are exactly a valid block of `key` and `index`
// of `expected_size` bytes; nullopt otherwise (wrong magic, key, index or size, bad CRC,
// a non-zero byte between key and data, short or long file).
std::optional<std::span<const char>> DecodeBlock(std::span<const char> file, const BlockKey& key,
                                                 uint64_t index, uint32_t expected_size);

}  // namespace swiftfs::cache
