// DiskCache drafts: the blocks of a file being written, stored as they pass under tmp/
// with a provisional key, and published as blocks of the committed version by rewriting
// each file's header (key and checksums; the data stays) and renaming it into blocks/.
// Design in include/swiftfs/cache/disk_cache.h (Draft).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "cache/disk/crc32c.h"
#include "cache/disk/disk_cache_impl.h"

namespace swiftfs::cache {
namespace {

constexpr uint64_t kDiskBlock = 4096;
uint64_t OnDisk(uint64_t bytes) { return (bytes + kDiskBlock - 1) / kDiskBlock * kDiskBlock; }

// Writes `header` over the start of `path`: the header and key of a block file whose key
// encodes to as many bytes as the one it replaces.
bool RewriteHeader(const std::string& path, const std::string& header) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n;
  do {
    n = pwrite(fd, header.data(), header.size(), 0);
  } while (n < 0 && errno == EINTR);
  const bool closed = close(fd) == 0;
  return closed && n == static_cast<ssize_t>(header.size());
}

}  // namespace

// ---- DiskCache::Draft: the public face.

DiskCache::Draft DiskCache::BeginDraft(const BlockKey& provisional) {
  return impl_->BeginDraft(provisional);
}

DiskCache::Draft::Draft(Draft&& other) noexcept
    : cache_(std::exchange(other.cache_, nullptr)), id_(std::exchange(other.id_, 0)) {}

DiskCache::Draft& DiskCache::Draft::operator=(Draft&& other) noexcept {
  if (this != &other) {
    if (cache_ != nullptr) cache_->DropDraft(id_);
    cache_ = std::exchange(other.cache_, nullptr);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

DiskCache::Draft::~Draft() {
  if (cache_ != nullptr) cache_->DropDraft(id_);
}

bool DiskCache::Draft::Add(uint64_t index, std::shared_ptr<const void> owner,
                           std::span<const char> data) {
  if (cache_ == nullptr) return false;
  return cache_->AddDraftBlock(id_, index, std::move(owner), data);
}

uint64_t DiskCache::Draft::Publish(const BlockKey& key) {
  if (cache_ == nullptr) return 0;
  DiskCacheImpl* cache = std::exchange(cache_, nullptr);
  return cache->PublishDraft(id_, key);
}

// ---- DiskCacheImpl.

DiskCache::Draft DiskCacheImpl::BeginDraft(const BlockKey& provisional) {
  MutexLock lock(mu_);
  const uint64_t id = ++draft_counter_;
  drafts_.emplace(id, DraftState(provisional));
  return DiskCache::Draft(this, id);
}

bool DiskCacheImpl::AddDraftBlock(uint64_t draft, uint64_t index, std::shared_ptr<const void> owner,
                                  std::span<const char> data) {
  {
    MutexLock lock(mu_);
    auto it = drafts_.find(draft);
    if (it == drafts_.end()) return false;
    ++it->second.outstanding;  // before it is queued: a writer may take it at once
  }
  bool queued = false;
  {
    MutexLock lock(queue_mu_);
    // The writer never holds up the upload: past the queue's bound the block is dropped.
    if (started_ && !stopping_ && queued_draft_bytes_ + data.size() <= options_.write_queue_bytes) {
      queued_draft_bytes_ += data.size();
      queue_.push_back({BlockKey("", "", "", ""), index, std::move(owner), data, draft});
      queued = true;
    }
  }
  if (queued) {
    queue_cv_.notify_one();
    return true;
  }
  MutexLock lock(mu_);
  if (auto it = drafts_.find(draft); it != drafts_.end()) ++it->second.given_up;
  FinishOutstandingLocked(draft);
  return false;
}

void DiskCacheImpl::FinishOutstandingLocked(uint64_t draft) {
  auto it = drafts_.find(draft);
  if (it == drafts_.end()) return;
  if (--it->second.outstanding == 0) draft_cv_.notify_all();
}

void DiskCacheImpl::RemoveDraftBlockLocked(const DraftBlock& block) {
  unlink(block.temp.c_str());
  used_ -= block.bytes;
  draft_bytes_ -= block.bytes;
}

void DiskCacheImpl::StoreDraftBlock(const QueuedBlock& block) {
  DraftBlock stored;
  stored.index = block.index;
  stored.size = static_cast<uint32_t>(block.data.size());
  std::optional<BlockKey> provisional;
  {
    MutexLock lock(mu_);
    auto it = drafts_.find(block.draft);
    if (it == drafts_.end()) return;  // dropped while queued
    provisional = it->second.provisional;
  }
  stored.bytes = OnDisk(BlockFileSize(provisional->encoded().size(), block.data.size()));
  const uint64_t extra = FreeSpaceShortfall(stored.bytes);
  {
    MutexLock lock(mu_);
    auto it = drafts_.find(block.draft);
    if (it == drafts_.end()) return;
    if (!MakeRoomLocked(stored.bytes, extra)) {
      ++it->second.no_room;
      FinishOutstandingLocked(block.draft);
      return;
    }
    used_ += stored.bytes;
    draft_bytes_ += stored.bytes;
    stored.temp = NewTempLocked();
    PublishSizeLocked();
  }
  stored.crc = Crc32c(block.data);
  const Status written =
      block_writer_.Write(stored.temp, *provisional, block.index, block.data, stored.crc);
  if (!written) logger_.Warning("disk cache: " + written.error().message);
  MutexLock lock(mu_);
  auto it = drafts_.find(block.draft);
  if (!written || it == drafts_.end()) {
    // Failed (the writer removed the file), or the draft was dropped meanwhile.
    RemoveDraftBlockLocked(stored);
    PublishSizeLocked();
    if (it != drafts_.end()) ++it->second.given_up;
  } else {
    it->second.stored.push_back(std::move(stored));
  }
  FinishOutstandingLocked(block.draft);
}

uint64_t DiskCacheImpl::PublishDraft(uint64_t draft, const BlockKey& key) {
  std::vector<DraftBlock> blocks;
  uint64_t no_room = 0;
  uint64_t given_up = 0;
  bool same_length = false;
  {
    MutexLock lock(mu_);
    if (!drafts_.contains(draft)) return 0;
    // Found again after the wait: another draft begun meanwhile may rehash drafts_.
    lock.Wait(draft_cv_, [&]() REQUIRES(mu_) { return drafts_.at(draft).outstanding == 0; });
    auto it = drafts_.find(draft);
    blocks = std::move(it->second.stored);
    no_room = it->second.no_room;
    given_up = it->second.given_up;
    same_length = it->second.provisional.encoded().size() == key.encoded().size();
    drafts_.erase(it);  // its blocks are in `blocks` now, still counted as a draft's
  }
  uint64_t published = 0;
  for (const DraftBlock& block : blocks) {
    const BlockId id = MakeBlockId(key, block.index);
    const std::string path = PathOf(id);
    // Outside mu_: the file is this draft's alone until it is renamed into blocks/.
    const bool rewritten =
        same_length &&
        RewriteHeader(block.temp, EncodeBlockHeader(key, block.index, block.size, block.crc));
    MutexLock lock(mu_);
    draft_bytes_ -= block.bytes;
    bool renamed = false;
    if (rewritten && !index_.contains(id)) {  // else cached already (read meanwhile): keep that
      renamed = rename(block.temp.c_str(), path.c_str()) == 0;
      if (!renamed && errno == ENOENT) {
        mkdir(path.substr(0, path.rfind('/')).c_str(), 0700);  // the block's fan-out directory
        renamed = rename(block.temp.c_str(), path.c_str()) == 0;
      }
    }
    if (!renamed) {
      unlink(block.temp.c_str());
      used_ -= block.bytes;
      PublishSizeLocked();
      continue;
    }
    Entry& entry = index_[id];
    entry.bytes = block.bytes;
    entry.state = State::kReady;
    entry.generation = ++generation_counter_;
    lru_.push_front(id);
    entry.lru = lru_.begin();
    counters_.Add(Counter::kDiskCacheWrites);
    ++published;
  }
  if ((no_room > 0 || given_up > 0 || published < blocks.size()) &&
      logger_.Enabled(LogLevel::kDebug)) {
    logger_.Debug("disk cache: a written file's blocks: " + std::to_string(published) +
                  " cached; not cached: " + std::to_string(no_room) + " found no room within " +
                  "the cap, " + std::to_string(given_up) +
                  " not written in time or gave way to staged data, " +
                  std::to_string(blocks.size() - published) + " could not be published" +
                  (same_length ? "" : " (the committed key is not of the provisional's length)"));
  }
  return published;
}

void DiskCacheImpl::DropDraft(uint64_t draft) {
  MutexLock lock(mu_);
  auto it = drafts_.find(draft);
  if (it == drafts_.end()) return;
  // Blocks still queued or being written find the draft gone and remove themselves.
  for (const DraftBlock& block : it->second.stored) RemoveDraftBlockLocked(block);
  drafts_.erase(it);
  PublishSizeLocked();
}

}  // namespace swiftfs::cache
