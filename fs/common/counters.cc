#include "swiftfs/common/counters.h"

namespace swiftfs {

namespace {
constexpr const char* kNames[] = {
    "auth_requests",         "head_requests",          "list_requests",
    "get_requests",          "other_requests",         "retries",
    "bytes_fetched",         "bytes_served",           "metadata_cache_hits",
    "metadata_cache_misses", "prefetch_hits",          "disk_cache_hits",
    "disk_cache_misses",     "disk_cache_writes",      "disk_cache_evictions",
    "disk_cache_corrupt",    "disk_cache_bytes",       "readahead_files",
    "readahead_hits",        "readahead_wasted_bytes", "lookup_gets",
    "lookup_get_hits",       "stat_fetches",           "put_requests",
    "delete_requests",       "copy_requests",          "post_requests",
    "bytes_uploaded",
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<int>(Counter::kCount_));
}  // namespace

std::string Counters::ToString() const {
  std::string out;
  for (int i = 0; i < static_cast<int>(Counter::kCount_); ++i) {
    if (!out.empty()) out += ' ';
    out += kNames[i];
    out += '=';
    out += std::to_string(values_[i].load(std::memory_order_relaxed));
  }
  return out;
}

}  // namespace swiftfs
