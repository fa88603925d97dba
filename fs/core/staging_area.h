#pragma once
// StagingArea: where files being written keep their local copy (a directory) and how much
// of it they may use together (a byte budget). StagingFile: one such copy, an unlinked
// file (O_TMPFILE, or mkstemp then unlink), so a crash or kill -9 leaves nothing behind
// to clean up: the kernel frees it with the last descriptor.
//
// The budget counts what the local copies hold (LocalCopy charges it a block at a time),
// not the disk's free space: a write past it fails with kNoSpace (ENOSPC) long before the
// disk is full, and the rest of the system keeps its disk.
//
// With a SharedSpace (the disk cache, when staging lives under cache_dir), every byte
// charged is also taken from it: the cache evicts blocks to make room, staged bytes are
// never evicted, and a write fails with kNoSpace only when the cache cannot make room
// (the staged bytes and the blocks being read fill its cap) or past `capacity`.
//
// Thread-safe: the budget is an atomic; a StagingFile is pread/pwrite on its own
// descriptor (callers serialise what they need to).

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "swiftfs/cache/shared_space.h"
#include "swiftfs/common/result.h"

namespace swiftfs::core {

// The staging directory to use when the option leaves it empty:
// $XDG_CACHE_HOME/swiftfs when set, else /var/tmp (both survive reboots' tmpfs /tmp and
// are meant for large files).
std::string DefaultStagingDir();

class StagingFile {
 public:
  explicit StagingFile(int fd) : fd_(fd) {}
  ~StagingFile();
  StagingFile(const StagingFile&) = delete;
  StagingFile& operator=(const StagingFile&) = delete;

  Status Write(uint64_t offset, std::span<const char> data);
  // Reads up to buffer.size() bytes; short only at the end of the file (holes read as 0).
  Result<size_t> Read(uint64_t offset, std::span<char> buffer);
  Status Resize(uint64_t size);

 private:
  const int fd_;
};

class StagingArea {
 public:
  // `dir` is created if missing (one level). `capacity`: bytes all local copies together
  // may hold. `shared` (may be null; must outlive the area): where the bytes are also
  // taken from.
  StagingArea(std::string dir, uint64_t capacity, cache::SharedSpace* shared = nullptr);

  Result<std::unique_ptr<StagingFile>> NewFile();

  // Takes `bytes` of the budget (and of the shared space); false (nothing taken) when that
  // would pass the capacity or the shared space cannot make room.
  bool Reserve(uint64_t bytes);
  void Unreserve(uint64_t bytes);
  uint64_t used() const { return used_.load(); }
  uint64_t capacity() const { return capacity_; }
  const std::string& dir() const { return dir_; }

 private:
  const std::string dir_;
  const uint64_t capacity_;
  cache::SharedSpace* const shared_;
  std::atomic<uint64_t> used_{0};
};

}  // namespace swiftfs::core
