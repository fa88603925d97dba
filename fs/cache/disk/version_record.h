#pragma once
// The stored form of one VersionMetadata (a row of the persistent version store): a
// checksummed binary record, so that a value damaged on disk (a bad sector, a torn write,
// someone editing the file) reads as absent, never as some other version's facts.
//
//   CRC-32C u32 (of the row's key, then every byte after the CRC) | format u8 (1) |
//   flags u8 | [meta_mtime ns i64] | size u64 | content_type | timestamp |
//   [symlink_target] | [symlink_target_account] | count u32 | count x (name | value)
//
// (little-endian; a string is its length u32 then its bytes; flags say which optional
// fields follow, and is_dlo / is_slo). The key joins the checksum: a record copied under
// another key does not verify.

#include <optional>
#include <string>
#include <string_view>

#include "swiftfs/cache/version_metadata.h"

namespace swiftfs::cache {

std::string EncodeVersionRecord(std::string_view key, const VersionMetadata& metadata);

// The metadata `record` holds when it is exactly a valid record stored under `key`;
// nullopt otherwise (bad checksum, unknown format or flags, truncated, trailing bytes).
std::optional<VersionMetadata> DecodeVersionRecord(std::string_view key, std::string_view record);

}  // namespace swiftfs::cache
