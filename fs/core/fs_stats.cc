#include "core/fs_stats.h"

#include <algorithm>
#include <cstdint>

#include "core/attr_builder.h"
#include "core/name_mapping.h"

namespace swiftfs::core {

namespace {
constexpr unsigned long kStatFsBlockSize = 4096;
// Capacity reported when the account has no quota: 1 PiB.
constexpr uint64_t kNominalCapacityBlocks = (uint64_t{1} << 50) / kStatFsBlockSize;
}  // namespace

FsStats::FsStats(swift::ObjectClient& client, Clock& clock, const FsOptions& options)
    : client_(client),
      clock_(clock),
      ttl_(ToDuration(options.attr_timeout)),
      read_only_(options.read_only) {}

Result<struct statvfs> FsStats::Get() {
  {
    MutexLock lock(mu_);
    if (cached_ && clock_.Monotonic() < cached_->first) return cached_->second;
  }
  auto account = client_.HeadAccount();
  if (!account) return std::move(account).error();
  const struct statvfs st = FromAccount(*account);
  MutexLock lock(mu_);
  cached_.emplace(clock_.Monotonic() + ttl_, st);
  return st;
}

struct statvfs FsStats::FromAccount(const swift::AccountInfo& account) const {
  struct statvfs st {};
  st.f_bsize = kStatFsBlockSize;
  st.f_frsize = kStatFsBlockSize;
  const uint64_t used = (account.bytes_used + kStatFsBlockSize - 1) / kStatFsBlockSize;
  if (account.quota_bytes) {
    const uint64_t total = *account.quota_bytes / kStatFsBlockSize;
    st.f_blocks = std::max(total, used);
  } else {
    st.f_blocks = std::max(kNominalCapacityBlocks, used);  // no quota: nominal, see header
  }
  st.f_bfree = st.f_blocks - used;
  st.f_bavail = st.f_bfree;
  st.f_files = account.object_count;
  st.f_ffree = 0;
  st.f_favail = 0;
  st.f_namemax = kMaxNameLength;
  st.f_flag = read_only_ ? ST_RDONLY : 0;
  return st;
}

}  // namespace swiftfs::core
