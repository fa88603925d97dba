#include "cache/disk/caching_reader.h"

#include <algorithm>
#include <cstring>

#include "cache/disk/draft_version.h"
#include "swiftfs/cache/caching_reader_factory.h"

namespace swiftfs::cache {
namespace {
// Blocks asked ahead of a reader that is served from disk: the kernel reads them while
// the reader consumes the current one, as its read-ahead would within one local file.
constexpr uint64_t kReadAheadBlocks = 4;
// How far past a missing block the next cached one is looked for (the prefetcher's window
// is at most 64 MiB: 64 blocks of the default size); none found: no limit.
constexpr uint64_t kCachedLookahead = 128;
}  // namespace

CachingReader::CachingReader(std::unique_ptr<FileReader> inner, DiskCache& cache,
                             Counters& counters, BlockKey key, const ObjectVersion& version)
    : inner_(std::move(inner)),
      cache_(cache),
      counters_(counters),
      key_(std::move(key)),
      size_(version.size),
      block_size_(cache.options().block_size),
      assembler_(cache.options().block_size, version.size) {
  missed_.fill(UINT64_MAX);
}

void CachingReader::Remember(uint64_t index, std::shared_ptr<const CachedBlock> block) {
  loaded_[next_slot_] = {index, std::move(block)};
  next_slot_ = (next_slot_ + 1) % loaded_.size();
}

std::shared_ptr<const CachedBlock> CachingReader::GetBlock(uint64_t index) {
  {
    MutexLock lock(mu_);
    for (const Loaded& loaded : loaded_) {
      if (loaded.index == index) return loaded.block;
    }
    if (std::find(missed_.begin(), missed_.end(), index) != missed_.end()) return nullptr;
  }
  const uint64_t start = index * block_size_;
  const auto length = static_cast<uint32_t>(std::min(block_size_, size_ - start));
  std::shared_ptr<const CachedBlock> block = cache_.Load(key_, index, length);
  MutexLock lock(mu_);
  if (!block) {
    counters_.Add(Counter::kDiskCacheMisses);
    missed_[next_missed_] = index;
    next_missed_ = (next_missed_ + 1) % missed_.size();
    return nullptr;
  }
  counters_.Add(Counter::kDiskCacheHits);
  Remember(index, block);
  const uint64_t blocks = (size_ + block_size_ - 1) / block_size_;
  const uint64_t ahead_from = std::max(read_ahead_to_, index + 1);
  const uint64_t ahead_to = std::min(index + 1 + kReadAheadBlocks, blocks);
  read_ahead_to_ = std::max(read_ahead_to_, ahead_to);
  lock.unlock();
  for (uint64_t i = ahead_from; i < ahead_to; ++i) cache_.ReadAhead(key_, i);
  return block;
}

void CachingReader::LimitInnerReadAhead(uint64_t missing) {
  {
    MutexLock lock(mu_);
    if (limited_for_ == missing) return;
    limited_for_ = missing;
  }
  const uint64_t blocks = (size_ + block_size_ - 1) / block_size_;
  uint64_t limit = UINT64_MAX;
  for (uint64_t i = missing + 1; i < std::min(blocks, missing + 1 + kCachedLookahead); ++i) {
    if (cache_.Contains(key_, i)) {
      limit = i * block_size_;
      break;
    }
  }
  inner_->LimitReadAhead(limit);
}

Result<ReadView> CachingReader::ReadInPlace(uint64_t offset, size_t size,
                                            const std::atomic<bool>* cancel) {
  if (offset >= size_ || size == 0) return ReadView{};
  const uint64_t end = offset + std::min<uint64_t>(size, size_ - offset);
  ReadView view;
  auto owners = std::make_shared<std::vector<std::shared_ptr<const void>>>();
  uint64_t pos = offset;
  while (pos < end) {
    const uint64_t index = pos / block_size_;
    std::shared_ptr<const CachedBlock> block = GetBlock(index);
    if (!block) break;
    const uint64_t within = pos - index * block_size_;
    const uint64_t n = std::min<uint64_t>(end - pos, block->data().size() - within);
    view.pieces.push_back(block->data().subspan(within, n));
    owners->push_back(std::move(block));
    pos += n;
  }
  if (pos < end) {
    // From the first block the cache lacks to the end: the inner reader, as without a cache,
    // but fetching ahead only up to the next block the cache holds.
    LimitInnerReadAhead(pos / block_size_);
    Result<ReadView> rest = inner_->ReadInPlace(pos, end - pos, cancel);
    if (!rest) return std::move(rest).error();
    std::vector<BlockAssembler::Complete> complete;
    {
      MutexLock lock(mu_);
      uint64_t at = pos;
      for (std::span<const char> piece : rest->pieces) {
        auto done = assembler_.Add(at, piece, rest->owner);
        complete.insert(complete.end(), done.begin(), done.end());
        at += piece.size();
      }
    }
    for (auto& block : complete) {
      cache_.StoreAsync(key_, block.index, block.bytes, std::move(block.owner));
    }
    view.pieces.insert(view.pieces.end(), rest->pieces.begin(), rest->pieces.end());
    owners->push_back(std::move(rest->owner));
  }
  view.owner = std::move(owners);
  return view;
}

Result<size_t> CachingReader::Read(uint64_t offset, std::span<char> buffer,
                                   const std::atomic<bool>* cancel) {
  Result<ReadView> view = ReadInPlace(offset, buffer.size(), cancel);
  if (!view) return std::move(view).error();
  size_t done = 0;
  for (std::span<const char> piece : view->pieces) {
    std::memcpy(buffer.data() + done, piece.data(), piece.size());
    done += piece.size();
  }
  return done;
}

// ---- The factory.

CachingReaderFactory::CachingReaderFactory(FileReaderFactory& inner, DiskCache& cache,
                                           Counters& counters, std::string account,
                                           bool fetch_on_stat)
    : inner_(inner),
      cache_(cache),
      counters_(counters),
      account_(std::move(account)),
      fetch_on_stat_(fetch_on_stat) {
  // A walk whose files are on disk (a second cp -r) must not fetch them ahead again.
  inner_.SkipHeldLocally([this](const ObjectVersion& version) { return HoldsWhole(version); });
}

CachingReaderFactory::~CachingReaderFactory() { inner_.SkipHeldLocally(nullptr); }

bool CachingReaderFactory::HoldsWhole(const ObjectVersion& version) const {
  if (version.etag.empty() || version.size == 0) return false;
  const BlockKey key(account_, version.container, version.name, version.etag);
  const uint64_t block_size = cache_.options().block_size;
  for (uint64_t start = 0, index = 0; start < version.size; start += block_size, ++index) {
    if (!cache_.Contains(key, index)) return false;
  }
  return true;
}

std::unique_ptr<FileReader> CachingReaderFactory::Open(const ObjectVersion& version) {
  return Wrap(version, inner_.Open(version));
}

std::unique_ptr<FileReader> CachingReaderFactory::OpenListed(const ObjectVersion& version,
                                                             const ListedPosition& where) {
  // The inner factory still sees the walk (read-ahead across files); the disk cache
  // answers first for the blocks it holds.
  return Wrap(version, inner_.OpenListed(version, where));
}

std::optional<Result<swift::ObjectInfo>> CachingReaderFactory::FetchForLookup(
    const ObjectVersion& version, const std::atomic<bool>* cancel) {
  if (!version.etag.empty() &&
      cache_.Contains(BlockKey(account_, version.container, version.name, version.etag), 0)) {
    return std::nullopt;
  }
  return inner_.FetchForLookup(version, cancel);
}

std::unique_ptr<PendingVersion> CachingReaderFactory::BeginVersion(const std::string& container,
                                                                   const std::string& name) {
  return std::make_unique<DraftVersion>(cache_, account_, container, name);
}

std::unique_ptr<FileReader> CachingReaderFactory::Wrap(const ObjectVersion& version,
                                                       std::unique_ptr<FileReader> inner) {
  if (version.etag.empty() || version.size == 0) return inner;  // no identity to key it by
  return std::make_unique<CachingReader>(
      std::move(inner), cache_, counters_,
      BlockKey(account_, version.container, version.name, version.etag), version);
}

std::optional<Result<swift::ObjectInfo>> CachingReaderFactory::FetchToStore(
    const ObjectVersion& version) {
  if (!fetch_on_stat_ || version.etag.empty() || version.size == 0) return std::nullopt;
  if (HoldsWhole(version)) return std::nullopt;  // a HEAD costs less
  auto whole = inner_.FetchWhole(version);
  if (!whole) return std::nullopt;
  if (!*whole) return std::move(*whole).error();
  // If-Match pinned the listed etag, so these are the bytes of `version`.
  const std::span<const char> data = (*whole)->bytes;
  StoreBlocks(version, [data](uint64_t offset, std::span<char> out) {
    if (offset > data.size() || out.size() > data.size() - offset) return false;
    std::memcpy(out.data(), data.data() + offset, out.size());
    return true;
  });
  counters_.Add(Counter::kStatFetches);
  return std::move((*whole)->info);
}

void CachingReaderFactory::Committed(const ObjectVersion& version, const CommittedBytes& bytes) {
  StoreBlocks(version, bytes);
}

void CachingReaderFactory::StoreBlocks(const ObjectVersion& version, const CommittedBytes& bytes) {
  if (version.etag.empty() || version.size == 0) return;
  const BlockKey key(account_, version.container, version.name, version.etag);
  const uint64_t block_size = cache_.options().block_size;
  for (uint64_t start = 0, index = 0; start < version.size; start += block_size, ++index) {
    if (cache_.Contains(key, index)) continue;  // held already (written in order, a reader)
    auto data = std::make_shared<std::string>(std::min(block_size, version.size - start), '\0');
    if (!bytes(start, std::span<char>(data->data(), data->size()))) continue;
    if (cache_.StoreAsync(key, index, data)) continue;
    // The writer threads are behind (or not started): write it now, on this thread, rather
    // than drop it, as the bytes exist nowhere else but in Swift.
    (void)cache_.Store(key, index, *data);
  }
}

}  // namespace swiftfs::cache
