#pragma once
// The key of a row of the persistent version store (version_db.h): the account and the
// object version (VersionKey), encoded so that SQLite's byte order of keys is Swift's
// listing order of names (within an account and container), and decodable back into the
// VersionKey. Key order being listing order is what lets a lookup read ahead: an `ls -l`
// asks for the versions of a directory in listing order, so the rows after the one asked
// for are the ones asked for next (DiskVersionMetadataStore::Get).
//
//   account | container | name | etag   each: its bytes, 0x00 as 0x00 0xFF, then 0x00 0x01
//   | timestamp                           microseconds, 8 bytes big-endian, sign bit flipped
//
// The escape keeps the encoding unambiguous whatever bytes a name holds (Swift refuses NUL
// in names, but the key must not depend on it) and keeps byte order: a name sorts before
// every longer name it begins.

#include <optional>
#include <string>
#include <string_view>

#include "swiftfs/cache/version_metadata.h"

namespace swiftfs::cache {

// The prefix of every row key of `account` (a storage URL).
std::string RowKeyPrefix(std::string_view account);
// `prefix` (RowKeyPrefix) followed by the encoded `key`.
std::string EncodeRowKey(std::string_view prefix, const VersionKey& key);
// The VersionKey of a row key that begins with `prefix`; nullopt when it does not, or is
// not a key of this encoding.
std::optional<VersionKey> DecodeRowKey(std::string_view prefix, std::string_view row);

}  // namespace swiftfs::cache
