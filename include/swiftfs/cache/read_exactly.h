#pragma once
// ReadExactly: the one place where the cache layer turns ranged GETs into the bytes of a
// read, and the defence in depth against short replies. A FileReader knows the size of the
// version it reads (ObjectVersion::size, from HEAD or the listing, pinned by If-Match), so
// a reply that ends before that size is never the end of the file: the rest is asked for,
// and if the server brings no byte before the size the read fails with kBadResponse (EIO)
// rather than returning short data.

#include <cstdint>
#include <optional>
#include <span>

#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/result.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::cache {

// Fills `buffer` with the bytes at `offset`, stopping early only at version.size. Returns
// the bytes placed: min(buffer.size(), version.size - offset), or 0 at or past the end.
// `reply_info`, when given, receives the first reply's object headers (ReadResult::info).
Result<size_t> ReadExactly(swift::ObjectClient& client, const ObjectVersion& version,
                           uint64_t offset, std::span<char> buffer,
                           const swift::ReadControl& control = {},
                           std::optional<swift::ObjectInfo>* reply_info = nullptr);

}  // namespace swiftfs::cache
