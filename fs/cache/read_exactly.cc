#include "swiftfs/cache/read_exactly.h"

#include <algorithm>
#include <string>

namespace swiftfs::cache {

Result<size_t> ReadExactly(swift::ObjectClient& client, const ObjectVersion& version,
                           uint64_t offset, std::span<char> buffer,
                           const swift::ReadControl& control,
                           std::optional<swift::ObjectInfo>* reply_info) {
  if (offset >= version.size) return size_t{0};
  buffer = buffer.first(std::min<uint64_t>(buffer.size(), version.size - offset));
  size_t done = 0;
  while (done < buffer.size()) {
    auto got = client.GetRange(version.container, version.name, offset + done, buffer.subspan(done),
                               version.etag, control);
    if (!got) return std::move(got).error();
    if (reply_info != nullptr && got->info && !*reply_info) *reply_info = std::move(got->info);
    if (got->bytes == 0) {
      // The version's size says there is more: a reply that stops here is wrong, and
      // taking it as the end of the file would silently truncate it.
      const std::string target = version.container + "/" + version.name;
      return MakeError(ErrorCode::kBadResponse,
                       "GET " + target + ": the server's data ends at byte " +
                           std::to_string(offset + done) + ", but the object has " +
                           std::to_string(version.size) + " bytes",
                       0, target);
    }
    done += got->bytes;
  }
  return done;
}

}  // namespace swiftfs::cache
