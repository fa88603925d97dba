// Rates of the persistent version metadata store (docs/benchmarks.md, disk cache section):
//
//   build/tests/unit/cache/version_store_bench [DIR] [COUNT]
//
// In DIR (default: a new directory under /tmp, removed afterwards): COUNT (12,000) Puts of
// typical metadata (X-Object-Meta-Mtime, content type, X-Timestamp) until committed; then,
// as after a remount, a new store's Start (it returns at once), its file ready (opened on
// the store's thread; not checked: closed properly) and, the file dropped from the page cache,
// COUNT Gets from the file; then the same Gets
// again, from memory. Prints the rates and the file's size.

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "swiftfs/cache/disk_version_store.h"
#include "unit/cache/disk_cache_test_util.h"

namespace {

using swiftfs::cache::DiskVersionMetadataStore;
using swiftfs::cache::DiskVersionStoreOptions;
using swiftfs::cache::VersionKey;
using swiftfs::cache::VersionMetadata;
using Clock = std::chrono::steady_clock;

VersionKey Key(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "mtime12k/o%06d", i);
  return VersionKey{"swiftfs-bench", name, "0123456789abcdef0123456789abcdef",
                    swiftfs::swift::WallTime(std::chrono::microseconds(1'700'000'000'000'000 + i))};
}

VersionMetadata Meta(int i) {
  VersionMetadata m;
  m.meta_mtime = swiftfs::swift::WallTime(std::chrono::seconds(1'000'000'000 + i));
  m.metadata["mtime"] = std::to_string(1'000'000'000 + i);
  m.content_type = "application/octet-stream";
  m.timestamp = "1700000000." + std::to_string(100000 + i);
  m.size = 16;
  return m;
}

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// This thread's CPU seconds (the machine is shared: wall time includes waiting for a core).
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  swiftfs::cache::testing_util::TempDir temp;
  const std::string dir = argc > 1 ? argv[1] : temp.path();
  const int count = argc > 2 ? std::stoi(argv[2]) : 12'000;
  swiftfs::NullLogger logger;
  DiskVersionStoreOptions options;
  options.dir = dir;

  double put_s = 0;
  {
    DiskVersionMetadataStore store(options, logger);
    store.Start("AUTH_bench");
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) store.Put(Key(i), Meta(i));
    store.Flush();
    put_s = Since(start);
  }
  auto file_size = [&dir](const char* suffix) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(dir + "/meta/versions.db" + suffix, ec);
    return ec ? 0.0 : static_cast<double>(size);
  };
  const double closed_bytes = file_size("");

  auto store = std::make_unique<DiskVersionMetadataStore>(options, logger);
  auto start = Clock::now();
  store->Start("AUTH_bench");
  const double start_s = Since(start);
  store->Flush();  // the open (and no check: the store above closed the file properly)
  const double ready_s = Since(start);
  {
    // The file out of the page cache (this file only; Start's quick_check had read it), as
    // scripts/bench-cache drops caches after the mount: the Gets below start from disk.
    const std::string db = dir + "/meta/versions.db";
    const int fd = open(db.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      fsync(fd);
      posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      close(fd);
    }
  }
  start = Clock::now();
  double cpu = CpuNow();
  int found = 0;
  for (int i = 0; i < count; ++i) found += store->Get(Key(i)).has_value();
  const double disk_s = Since(start);
  const double disk_cpu = CpuNow() - cpu;
  start = Clock::now();
  for (int i = 0; i < count; ++i) found += store->Get(Key(i)).has_value();
  const double memory_s = Since(start);
  store->Flush();  // the reads' use numbers
  const double wal_bytes = file_size("-wal");
  store.reset();
  std::printf("versions: %d, found %d of %d\n", count, found, 2 * count);
  std::printf("put (until committed): %.3f s, %.0f /s\n", put_s, count / put_s);
  std::printf(
      "start returns: %.4f s; file ready (opened; closed properly by the store before, so not "
      "checked): %.4f s\n",
      start_s, ready_s);
  std::printf(
      "get from disk (after a remount, file not in the page cache): %.3f s, %.0f /s; %.1f us CPU "
      "each\n",
      disk_s, count / disk_s, disk_cpu / count * 1e6);
  std::printf("get from memory: %.4f s, %.0f /s\n", memory_s, count / memory_s);
  std::printf("file (closed): %.2f MiB, %.0f bytes a version; WAL while open: %.2f MiB\n",
              closed_bytes / 1048576.0, closed_bytes / count, wal_bytes / 1048576.0);
  return found == 2 * count ? 0 : 1;
}
