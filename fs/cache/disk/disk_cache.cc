// DiskCache: opening the directory (lock, layout), loading and storing blocks, eviction and
// reservations. The start-up scan and the writer thread are in disk_cache_threads.cc.

#include "swiftfs/cache/disk_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cache/disk/crc32c.h"
#include "cache/disk/disk_cache_impl.h"

namespace swiftfs::cache {
namespace {

constexpr uint64_t kDiskBlock = 4096;  // block files are counted as the disk allocates them
uint64_t OnDisk(uint64_t bytes) { return (bytes + kDiskBlock - 1) / kDiskBlock * kDiskBlock; }

Error ConfigError(const std::string& what) { return MakeError(ErrorCode::kConfig, what); }

// Reads up to `size` bytes from a just-opened `fd`; the count read, -1 on error. read(),
// not pread(): whatever sits at a block's path (a FIFO put there, say) fails verification
// rather than the call.
ssize_t ReadAll(int fd, char* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = read(fd, buffer + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

}  // namespace

// ---- DiskCache: the public face.

Result<std::unique_ptr<DiskCache>> DiskCache::Open(const DiskCacheOptions& options,
                                                   Counters& counters, Logger& logger) {
  namespace fs = std::filesystem;
  if (options.dir.empty()) return ConfigError("cache_dir is empty");
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) return ConfigError("cannot create cache_dir " + options.dir + ": " + ec.message());
  const std::string lock_path = options.dir + "/lock";
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ConfigError("cannot open " + lock_path + ": " + ErrnoText(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char pid[32] = {};
    const ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    close(fd);
    if (error == EWOULDBLOCK) {
      std::string owner = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "?";
      while (!owner.empty() && owner.back() == '\n') owner.pop_back();
      return ConfigError("cache_dir " + options.dir + " is in use by another swiftfs mount (pid " +
                         owner + "); give each mount its own cache_dir");
    }
    return ConfigError("cannot lock " + lock_path + ": " + ErrnoText(error));
  }
  // The 256 fan-out directories under blocks/ are made when a block first needs one: an
  // empty cache costs the scan nothing.
  fs::create_directories(options.dir + "/blocks", ec);
  if (!ec) fs::create_directories(options.dir + "/tmp", ec);
  if (ec) {
    close(fd);
    return ConfigError("cannot create the layout of cache_dir " + options.dir + ": " +
                       ec.message());
  }
  auto impl = std::make_unique<DiskCacheImpl>(options, fd, counters, logger);
  return std::unique_ptr<DiskCache>(new DiskCache(std::move(impl)));
}

DiskCache::DiskCache(std::unique_ptr<DiskCacheImpl> impl) : impl_(std::move(impl)) {}
DiskCache::~DiskCache() = default;
void DiskCache::Start() { impl_->Start(); }
std::shared_ptr<const CachedBlock> DiskCache::Load(const BlockKey& key, uint64_t index,
                                                   uint32_t size) {
  return impl_->Load(key, index, size);
}
Status DiskCache::Store(const BlockKey& key, uint64_t index, std::span<const char> data) {
  return impl_->Store(key, index, data);
}
bool DiskCache::StoreAsync(const BlockKey& key, uint64_t index, std::span<const char> bytes,
                           std::shared_ptr<const void> owner) {
  return impl_->StoreAsync(key, index, bytes, std::move(owner));
}
bool DiskCache::StoreAsync(const BlockKey& key, uint64_t index,
                           std::shared_ptr<const std::string> data) {
  return impl_->StoreAsync(key, index, std::move(data));
}
DiskCache::Reservation DiskCache::Reserve(uint64_t bytes) { return impl_->Reserve(bytes); }
bool DiskCache::Take(uint64_t bytes) { return impl_->Take(bytes); }
void DiskCache::Give(uint64_t bytes) { impl_->Unreserve(bytes); }
void DiskCache::ReadAhead(const BlockKey& key, uint64_t index) { impl_->ReadAhead(key, index); }
bool DiskCache::Contains(const BlockKey& key, uint64_t index) const {
  return impl_->Contains(key, index);
}
DiskCache::Stats DiskCache::stats() const { return impl_->stats(); }
const DiskCacheOptions& DiskCache::options() const { return impl_->options(); }
void DiskCache::WaitIdle() { impl_->WaitIdle(); }

DiskCache::Reservation::Reservation(Reservation&& other) noexcept
    : cache_(std::exchange(other.cache_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
DiskCache::Reservation& DiskCache::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    if (cache_ != nullptr) cache_->Unreserve(bytes_);
    cache_ = std::exchange(other.cache_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}
DiskCache::Reservation::~Reservation() {
  if (cache_ != nullptr) cache_->Unreserve(bytes_);
}

// ---- DiskCacheImpl: index, eviction, block files.

DiskCacheImpl::DiskCacheImpl(DiskCacheOptions options, int lock_fd, Counters& counters,
                             Logger& logger)
    : options_(std::move(options)), lock_fd_(lock_fd), counters_(counters), logger_(logger) {}

std::shared_ptr<const CachedBlock> DiskCacheImpl::Load(const BlockKey& key, uint64_t index,
                                                       uint32_t size) {
  const BlockId id = MakeBlockId(key, index);
  uint64_t generation = 0;
  bool indexed = false;
  {
    MutexLock lock(mu_);
    auto it = index_.find(id);
    if (it == index_.end()) {
      // Before the scan has indexed what earlier mounts left, a block may be on disk only.
      if (scan_done_) return nullptr;
    } else if (it->second.state != State::kReady) {
      return nullptr;
    } else {
      indexed = true;
      generation = it->second.generation;
      ++it->second.pins;  // eviction skips it while its file is read
      lru_.splice(lru_.begin(), lru_, it->second.lru);
    }
  }
  const std::string path = PathOf(id);
  const size_t expected = BlockFileSize(key.encoded().size(), size);
  // One byte more than a valid file holds, so that a longer file is seen as invalid.
  auto file = std::make_unique_for_overwrite<char[]>(expected + 1);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const int open_error = fd < 0 ? errno : 0;
  ssize_t n = -1;
  if (fd >= 0) {
    n = ReadAll(fd, file.get(), expected + 1);
    close(fd);
  }
  std::optional<std::span<const char>> data;
  if (n >= 0) data = DecodeBlock(std::span<const char>(file.get(), n), key, index, size);
  const bool stale = !data && n > 0 && IsOldBlockFile(std::span<const char>(file.get(), n));

  MutexLock lock(mu_);
  auto it = index_.find(id);
  const bool same = indexed && it != index_.end() && it->second.generation == generation;
  if (same) --it->second.pins;
  if (!data) {
    if (open_error == ENOENT) {
      if (same) RemoveLocked(id, false);  // removed behind our back: forget it
      return nullptr;
    }
    // Corrupt, truncated, half-written or someone else's block: never served, and gone so
    // that the next read fetches and stores it again. Readers racing on one bad block all
    // fail it, but only the one that drops it counts it: the counter counts blocks.
    bool dropped = false;
    if (same) {
      RemoveLocked(id, true);
      dropped = true;
    } else if (it == index_.end()) {
      dropped = unlink(path.c_str()) == 0;
    }
    if (dropped && stale) {
      logger_.Debug("disk cache: dropped block " + path + " (written by an older swiftfs)");
    } else if (dropped) {
      counters_.Add(Counter::kDiskCacheCorrupt);
      logger_.Warning("disk cache: dropped block " + path + " (failed verification)");
    }
    return nullptr;
  }
  if (!indexed && it == index_.end()) {
    // Found before the scan got to it: index it now (the scan skips indexed blocks).
    Entry& entry = index_[id];
    entry.bytes = OnDisk(expected);
    entry.generation = ++generation_counter_;
    lru_.push_front(id);
    entry.lru = lru_.begin();
    used_ += entry.bytes;
    PublishSizeLocked();
  }
  return std::make_shared<CachedBlock>(std::move(file), *data);
}

Status DiskCacheImpl::Store(const BlockKey& key, uint64_t index, std::span<const char> data) {
  const BlockId id = MakeBlockId(key, index);
  const uint64_t bytes = OnDisk(BlockFileSize(key.encoded().size(), data.size()));
  const uint64_t extra = FreeSpaceShortfall(bytes);
  std::string temp;
  {
    MutexLock lock(mu_);
    if (index_.contains(id)) return OkStatus();            // cached, or being written by another
    if (!MakeRoomLocked(bytes, extra)) return OkStatus();  // everything pinned: not cached
    Entry& entry = index_[id];
    entry.bytes = bytes;
    entry.state = State::kWriting;
    entry.generation = ++generation_counter_;
    used_ += bytes;
    temp = NewTempLocked();
    PublishSizeLocked();
  }
  Status written = block_writer_.Write(temp, key, index, data, Crc32c(data));
  const std::string path = PathOf(id);
  MutexLock lock(mu_);
  if (written) {
    bool renamed = rename(temp.c_str(), path.c_str()) == 0;
    if (!renamed && errno == ENOENT) {
      mkdir(path.substr(0, path.rfind('/')).c_str(), 0700);  // the block's fan-out directory
      renamed = rename(temp.c_str(), path.c_str()) == 0;
    }
    if (!renamed) {
      written = MakeError(ErrorCode::kInternal, "cannot rename " + temp + ": " + ErrnoText(errno));
      unlink(temp.c_str());
    }
  }
  if (!written) {
    RemoveLocked(id, false);
    return written;
  }
  Entry& entry = index_[id];
  entry.state = State::kReady;
  lru_.push_front(id);
  entry.lru = lru_.begin();
  counters_.Add(Counter::kDiskCacheWrites);
  return OkStatus();
}

std::string DiskCacheImpl::NewTempLocked() {
  // "<pid>-<n>": the start-up scan of a later daemon removes what this one leaves.
  return options_.dir + "/tmp/" + std::to_string(getpid()) + "-" + std::to_string(++temp_counter_);
}

uint64_t DiskCacheImpl::FreeSpaceShortfall(uint64_t incoming) const {
  if (options_.free_margin_percent == 0) return 0;
  struct statvfs fs {};
  if (statvfs(options_.dir.c_str(), &fs) != 0) return 0;
  const uint64_t size = uint64_t{fs.f_blocks} * fs.f_frsize;
  const uint64_t available = uint64_t{fs.f_bavail} * fs.f_frsize;
  const uint64_t wanted = size / 100 * options_.free_margin_percent + incoming;
  return available >= wanted ? 0 : wanted - available;
}

bool DiskCacheImpl::MakeRoomLocked(uint64_t incoming, uint64_t extra, bool drafts_yield) {
  const uint64_t limit = options_.capacity == 0 ? UINT64_MAX : options_.capacity;
  // Evicting every block would not help: refuse before evicting any.
  const uint64_t fixed = reserved_ + (drafts_yield ? 0 : draft_bytes_);
  if (incoming > limit || fixed + incoming > limit) return false;
  uint64_t freed = 0;
  auto it = lru_.end();
  while ((used_ + incoming > limit || freed < extra) && it != lru_.begin()) {
    auto victim = std::prev(it);
    const Entry& entry = index_.at(*victim);
    if (entry.pins > 0) {  // being read: skip it
      it = victim;
      continue;
    }
    freed += entry.bytes;
    counters_.Add(Counter::kDiskCacheEvictions);
    RemoveLocked(*victim, true);  // erases `victim` only; `it` stays valid
  }
  for (auto& [id, draft] : drafts_) {
    // Blocks of files being written give way to staged dirty bytes: they are in Swift (or
    // on their way), the dirty bytes nowhere else.
    while (drafts_yield && (used_ + incoming > limit || freed < extra) && !draft.stored.empty()) {
      freed += draft.stored.back().bytes;
      RemoveDraftBlockLocked(draft.stored.back());
      draft.stored.pop_back();
      ++draft.given_up;
    }
  }
  PublishSizeLocked();
  return used_ + incoming <= limit && freed >= extra;
}

void DiskCacheImpl::RemoveLocked(BlockId id, bool unlink_file) {
  auto it = index_.find(id);
  if (it == index_.end()) return;
  if (it->second.state == State::kReady) lru_.erase(it->second.lru);
  used_ -= it->second.bytes;
  index_.erase(it);
  if (unlink_file) unlink(PathOf(id).c_str());
  PublishSizeLocked();
}

void DiskCacheImpl::PublishSizeLocked() { counters_.Set(Counter::kDiskCacheBytes, used_); }

DiskCache::Reservation DiskCacheImpl::Reserve(uint64_t bytes) {
  if (!Take(bytes)) return {};
  return DiskCache::Reservation(this, bytes);
}

bool DiskCacheImpl::Take(uint64_t bytes) {
  const uint64_t extra = FreeSpaceShortfall(bytes);
  MutexLock lock(mu_);
  if (!MakeRoomLocked(bytes, extra, true)) return false;
  used_ += bytes;
  reserved_ += bytes;
  PublishSizeLocked();
  return true;
}

void DiskCacheImpl::Unreserve(uint64_t bytes) {
  MutexLock lock(mu_);
  used_ -= bytes;
  reserved_ -= bytes;
  PublishSizeLocked();
}

void DiskCacheImpl::ReadAhead(const BlockKey& key, uint64_t index) {
  const BlockId id = MakeBlockId(key, index);
  {
    MutexLock lock(mu_);
    auto it = index_.find(id);
    if (it == index_.end() || it->second.state != State::kReady) return;
  }
  const int fd = open(PathOf(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);  // starts the reads, does not wait for them
  close(fd);
}

bool DiskCacheImpl::Contains(const BlockKey& key, uint64_t index) const {
  MutexLock lock(mu_);
  auto it = index_.find(MakeBlockId(key, index));
  return it != index_.end() && it->second.state == State::kReady;
}

DiskCache::Stats DiskCacheImpl::stats() const {
  MutexLock lock(mu_);
  return {used_, lru_.size(), draft_bytes_, scan_done_};
}

}  // namespace swiftfs::cache
