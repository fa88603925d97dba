// DiskCacheImpl's threads: the start-up scan, which indexes the blocks earlier mounts left
// (and removes what cannot be a complete block) without delaying the mount, and the writer,
// which stores the blocks readers fetched from Swift off their path.

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "cache/disk/disk_cache_impl.h"

namespace swiftfs::cache {
namespace {

struct FoundBlock {
  BlockId id;
  uint64_t bytes;
  int64_t mtime;
};

// Calls `fn(name)` for every entry of `dir` but "." and "..".
template <typename Fn>
void ForEachEntry(const std::string& dir, Fn fn) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  while (dirent* e = readdir(d)) {
    const std::string_view name = e->d_name;
    if (name != "." && name != "..") fn(name);
  }
  closedir(d);
}

}  // namespace

void DiskCacheImpl::Start() {
  {
    MutexLock lock(queue_mu_);
    if (started_) return;
    started_ = true;
  }
  // The daemon forked since Open(): the lock file names the process that serves.
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(lock_fd_, 0) == 0) (void)!pwrite(lock_fd_, pid.data(), pid.size(), 0);
  scanner_ = std::thread([this] { Scan(); });
  // Two writers: on a busy machine one thread gets too small a share of the CPU to keep up
  // with a stream's several fetch threads, and blocks it cannot take are not cached.
  for (int i = 0; i < 2; ++i) writers_.emplace_back([this] { WriterLoop(); });
}

DiskCacheImpl::~DiskCacheImpl() {
  {
    MutexLock lock(queue_mu_);
    stopping_ = true;  // the writer finishes the queue first: at most write_queue_bytes
  }
  queue_cv_.notify_all();
  stop_scan_.store(true);
  for (std::thread& writer : writers_) writer.join();
  if (scanner_.joinable()) scanner_.join();
  {
    // Drafts outlive their cache only by mistake; their files need not outlive it.
    MutexLock lock(mu_);
    for (const auto& [id, draft] : drafts_) {
      for (const DraftBlock& block : draft.stored) unlink(block.temp.c_str());
    }
  }
  close(lock_fd_);  // releases the flock
}

void DiskCacheImpl::Scan() {
  // Block files being written when an earlier daemon died: never complete, never indexed.
  // This daemon's own (named "<pid>-<n>", see Store) are being written right now by its
  // writers, which run while the scan does: they are left alone.
  const std::string tmp = options_.dir + "/tmp";
  const std::string own = std::to_string(getpid()) + "-";
  ForEachEntry(tmp, [&](std::string_view name) {
    if (name.starts_with(own)) return;
    unlink((tmp + "/" + std::string(name)).c_str());
  });

  std::vector<FoundBlock> found;
  uint64_t removed = 0;
  for (int i = 0; i < 256 && !stop_scan_.load(); ++i) {
    char fan[3];
    std::snprintf(fan, sizeof fan, "%02x", i);
    const std::string dir = options_.dir + "/blocks/" + fan;
    ForEachEntry(dir, [&](std::string_view name) {
      const std::string path = dir + "/" + std::string(name);
      struct stat st {};
      std::optional<BlockId> id = ParseBlockFileName(fan, name);
      if (!id || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
          static_cast<uint64_t>(st.st_size) <= kBlockHeaderSize) {
        ++removed;
        unlink(path.c_str());
        return;
      }
      const uint64_t bytes = (static_cast<uint64_t>(st.st_size) + 4095) / 4096 * 4096;
      found.push_back({*id, bytes, st.st_mtim.tv_sec});
    });
  }
  // Oldest first, each pushed to the front: the newest end up most recently used.
  std::sort(found.begin(), found.end(),
            [](const FoundBlock& a, const FoundBlock& b) { return a.mtime < b.mtime; });
  uint64_t blocks;
  uint64_t bytes;
  {
    MutexLock lock(mu_);
    for (const FoundBlock& block : found) {
      if (index_.contains(block.id)) continue;  // loaded or stored since the mount
      Entry& entry = index_[block.id];
      entry.bytes = block.bytes;
      entry.generation = ++generation_counter_;
      lru_.push_front(block.id);
      entry.lru = lru_.begin();
      used_ += block.bytes;
    }
    scan_done_ = true;
    MakeRoomLocked(0, FreeSpaceShortfall(0));  // the cap may be smaller than last time
    blocks = lru_.size();
    bytes = used_;
  }
  scan_cv_.notify_all();
  logger_.Info("disk cache " + options_.dir + ": " + std::to_string(blocks) + " blocks, " +
               std::to_string(bytes >> 20) + " MiB" +
               (removed > 0 ? ", removed " + std::to_string(removed) + " invalid files" : ""));
}

bool DiskCacheImpl::StoreAsync(const BlockKey& key, uint64_t index,
                               std::shared_ptr<const std::string> data) {
  const std::span<const char> bytes(*data);
  return StoreAsync(key, index, bytes, std::move(data));
}

bool DiskCacheImpl::StoreAsync(const BlockKey& key, uint64_t index, std::span<const char> bytes,
                               std::shared_ptr<const void> owner) {
  {
    MutexLock lock(queue_mu_);
    if (!started_ || stopping_ || queued_bytes_ + bytes.size() > options_.write_queue_bytes) {
      return false;  // the reader never waits for the disk: this block is not cached
    }
    queued_bytes_ += bytes.size();
    queue_.push_back({key, index, std::move(owner), bytes});
  }
  queue_cv_.notify_one();
  return true;
}

void DiskCacheImpl::WriterLoop() {
  // Below the readers' threads: on a busy machine the write-through takes what CPU the
  // reads leave (blocks it cannot take in time are dropped, not waited for). Linux nices
  // one thread with its tid.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  MutexLock lock(queue_mu_);
  while (true) {
    lock.Wait(queue_cv_, [this]() REQUIRES(queue_mu_) { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and every queued block written
    QueuedBlock block = std::move(queue_.front());
    queue_.pop_front();
    ++writing_;
    lock.unlock();
    if (block.draft != 0) {
      StoreDraftBlock(block);
    } else if (Status stored = Store(block.key, block.index, block.data); !stored) {
      logger_.Warning("disk cache: " + stored.error().message);
    }
    block.owner.reset();  // before the queue admits more: the bytes it counts are freed
    lock.lock();
    (block.draft != 0 ? queued_draft_bytes_ : queued_bytes_) -= block.data.size();
    --writing_;
    if (queue_.empty() && writing_ == 0) idle_cv_.notify_all();
  }
  idle_cv_.notify_all();
}

void DiskCacheImpl::WaitIdle() {
  {
    MutexLock lock(mu_);
    lock.Wait(scan_cv_, [this]() REQUIRES(mu_) { return scan_done_; });
  }
  MutexLock lock(queue_mu_);
  lock.Wait(idle_cv_, [this]() REQUIRES(queue_mu_) {
    return stopping_ || (queue_.empty() && writing_ == 0);
  });
}

}  // namespace swiftfs::cache
