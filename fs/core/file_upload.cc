// FileUpload: writes, reads and truncation; the commit is in file_upload_commit.cc.
#include "core/file_upload.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "core/segment_names.h"

namespace swiftfs::core {

std::string MtimeText(swift::WallTime t) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  char text[48];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000));
  return text;
}

FileUpload::FileUpload(UploadEnv& env, UploadTarget target,
                       std::function<void(const CommitOutcome&)> on_commit)
    : env_(env), target_(std::move(target)), on_commit_(std::move(on_commit)) {
  MutexLock lock(mu_);
  container_ = target_.container;
  name_ = target_.name;
  previous_may_be_slo_ = target_.previous_may_be_slo;
  exclusive_ = target_.exclusive;
  if (target_.base_etag) {
    size_ = target_.base_size;
    mtime_ = target_.base_mtime;
  } else {
    streaming_ = true;
    dirty_ = true;  // a new or truncated file is published even if nothing is written
    mtime_ = env_.clock.Now();
    phase_ = Phase::kWriting;
    if (auto file = env_.staging.NewFile()) {
      local_ =
          std::make_unique<LocalCopy>(std::move(*file), env_.staging, std::vector<BasePiece>{}, 0);
    }
  }
}

FileUpload::~FileUpload() {
  // Segments no manifest names: a commit that never happened or failed. Nobody else holds
  // the upload any more, so the lock is only for the analysis.
  std::vector<std::unique_ptr<SegmentWriter>> garbage;
  {
    MutexLock lock(mu_);
    garbage = std::move(abandoned_);
    if (writer_) garbage.push_back(std::move(writer_));
  }
  for (auto& writer : garbage) writer->DeleteAll();
}

void FileUpload::WaitIdle(MutexLock& lock) {
  lock.Wait(cv_, [this]() REQUIRES(mu_) { return !busy_; });
}

Status FileUpload::Usable() const {
  if (failure_) return *failure_;
  return OkStatus();
}

UploadState FileUpload::State() const {
  MutexLock lock(mu_);
  return UploadState{size_,           mtime_,   dirty_,
                     committed_etag_, failure_, local_ ? local_->charged() : 0};
}

void FileUpload::Fail(Error error) {
  if (!failure_) failure_ = std::move(error);
  phase_ = Phase::kFailed;
  to_cache_.reset();  // nothing will be committed: the cache gets its space back now
}

std::unique_ptr<SegmentWriter> FileUpload::NewWriter(const std::string& container,
                                                     const std::string& name) {
  return std::make_unique<SegmentWriter>(env_.client, env_.slots, SegmentContainer(container),
                                         SegmentPrefix(name, env_.new_upload_id()));
}

void FileUpload::OfferToCache(uint64_t offset, const std::shared_ptr<const std::string>& data) {
  if (env_.readers == nullptr) return;
  if (!to_cache_ && offset == 0) to_cache_ = env_.readers->BeginVersion(container_, name_);
  if (to_cache_) to_cache_->Add(offset, data);
}

void FileUpload::SubmitUnlocked(SegmentWriter& writer, uint32_t index, uint64_t offset,
                                std::shared_ptr<const std::string> data) {
  ++submitting_;
  mu_.unlock();  // the caller's MutexLock owns it again on return
  writer.Submit(index, offset, std::move(data));
  mu_.lock();
  --submitting_;
  cv_.notify_all();
}

Result<size_t> FileUpload::Write(uint64_t offset, std::span<const char> data) {
  MutexLock lock(mu_);
  WaitIdle(lock);
  if (Status usable = Usable(); !usable) return std::move(usable).error();
  const uint64_t end = offset + data.size();
  if (end > env_.max_size) {
    return MakeError(ErrorCode::kTooLarge,
                     "file would exceed the largest object this mount can "
                     "store (segment_size x max_manifest_segments)");
  }
  if (writer_) {
    if (auto failed = writer_->Failure()) {
      Fail(*failed);
      return *failed;
    }
  }
  dirty_ = true;
  phase_ = Phase::kWriting;
  mtime_ = env_.clock.Now();
  if (streaming_) {
    if (offset == stream_end_) {
      Append(data);
      DrainPending();
      size_ = std::max(size_, end);
      return data.size();
    }
    // Pieces held in the window never overlap one another, so applying them in offset order
    // (DrainPending, LeaveStreaming) is applying them in arrival order. A write over a held
    // piece is no reordering the kernel does: it leaves streaming, after the held pieces.
    if (offset > stream_end_ && end - stream_end_ <= env_.reorder_window &&
        !OverlapsPendingLocked(offset, end)) {
      pending_bytes_ += data.size();
      pending_.emplace(offset, std::string(data.data(), data.size()));
      size_ = std::max(size_, end);
      return data.size();
    }
    if (Status left = LeaveStreaming(lock); !left) return std::move(left).error();
  }
  if (Status written = StagedWrite(lock, offset, data); !written) return std::move(written).error();
  return data.size();
}

void FileUpload::Append(std::span<const char> data) {
  // The tee is a convenience (reads back, leaving streaming for free): it may use a
  // quarter of the staging budget, so that staged writes, which need it, still find room.
  // Once the disk cache takes the segments as they pass (to_cache_), it stops at two
  // segments: past them a second local copy of every byte would only double the disk
  // writes (and halve the upload's speed: docs/benchmarks.md, "Written files in the disk
  // cache"), and what it is kept for (a read before the close, a write behind the end)
  // costs what it costs past the quarter without a cache.
  const uint64_t tee_limit = to_cache_
                                 ? std::min(env_.staging.capacity() / 4, 2 * env_.segment_size)
                                 : env_.staging.capacity() / 4;
  if (local_ &&
      (local_->charged() + data.size() > tee_limit || !local_->Write(stream_end_, data))) {
    local_.reset();  // streaming goes on without it
  }
  stream_end_ += data.size();
  current_.append(data.data(), data.size());
  while (streaming_ && current_.size() >= env_.segment_size) {
    std::string segment;
    if (current_.size() == env_.segment_size) {
      segment = std::move(current_);  // the usual case (writes divide the segment): no copy
      current_ = std::string();
    } else {
      segment = current_.substr(0, env_.segment_size);
      current_.erase(0, env_.segment_size);
    }
    // A large file: its next segment fills one buffer instead of one regrown (and copied)
    // from small; the pages are touched only as bytes arrive.
    if (current_.capacity() < env_.segment_size) current_.reserve(env_.segment_size);
    const uint64_t offset = stream_end_ - current_.size() - segment.size();
    if (!writer_) writer_ = NewWriter(container_, name_);
    auto shared = std::make_shared<const std::string>(std::move(segment));
    OfferToCache(offset, shared);
    SubmitUnlocked(*writer_, next_index_++, offset, std::move(shared));
  }
}

bool FileUpload::OverlapsPendingLocked(uint64_t offset, uint64_t end) const {
  auto next = pending_.lower_bound(offset);
  if (next != pending_.end() && next->first < end) return true;
  if (next == pending_.begin()) return false;
  const auto& [before_offset, before] = *std::prev(next);
  return before_offset + before.size() > offset;
}

void FileUpload::DrainPending() {
  while (streaming_ && !pending_.empty()) {
    auto first = pending_.begin();
    if (first->first > stream_end_) return;
    std::string piece = std::move(first->second);
    const uint64_t offset = first->first;
    pending_bytes_ -= piece.size();
    pending_.erase(first);
    if (offset + piece.size() <= stream_end_) continue;  // already covered
    Append(std::span<const char>(piece).subspan(stream_end_ - offset));
  }
}

Status FileUpload::LeaveStreaming(MutexLock& lock) {
  busy_ = true;
  lock.Wait(cv_, [this]() REQUIRES(mu_) { return submitting_ == 0; });
  Status status;
  if (!local_) {
    // The tee was dropped: the bytes streamed so far become the base, read back from
    // their segments on demand (uploaded in full first, the partial one too).
    if (!writer_) writer_ = NewWriter(container_, name_);
    SegmentWriter* writer = writer_.get();
    const uint64_t tail_offset = stream_end_ - current_.size();
    std::string tail = std::move(current_);
    const uint32_t tail_index = next_index_++;
    mu_.unlock();  // the caller's MutexLock owns it again on return
    if (!tail.empty()) writer->Submit(tail_index, tail_offset, std::move(tail));
    auto finished = writer->Finish();
    auto file = env_.staging.NewFile();
    mu_.lock();
    if (!finished) {
      status = std::move(finished).error();
    } else if (!file) {
      status = std::move(file).error();
    } else {
      local_ = std::make_unique<LocalCopy>(std::move(*file), env_.staging, writer->Pieces(),
                                           stream_end_);
    }
  }
  if (writer_) abandoned_.push_back(std::move(writer_));
  to_cache_.reset();  // a staged file's commit offers what it holds (WriteThrough)
  current_.clear();
  streaming_ = false;
  busy_ = false;
  cv_.notify_all();
  if (!status) {
    Fail(status.error());
    return status;
  }
  // The reorder window's pieces lie past the end: holes around them read as zeros.
  std::map<uint64_t, std::string> pending = std::move(pending_);
  pending_.clear();
  pending_bytes_ = 0;
  for (auto& [offset, piece] : pending) {
    if (Status written = StagedWrite(lock, offset, piece); !written) return written;
  }
  return OkStatus();
}

Status FileUpload::EnsureLocalCopy() {
  if (local_) return OkStatus();
  auto file = env_.staging.NewFile();
  if (!file) return std::move(file).error();
  std::vector<BasePiece> base;
  const std::string etag =
      committed_etag_.empty() ? target_.base_etag.value_or("") : committed_etag_;
  if (size_ > 0) base.push_back(BasePiece{0, size_, container_, name_, etag});
  local_ = std::make_unique<LocalCopy>(std::move(*file), env_.staging, std::move(base), size_);
  return OkStatus();
}

Status FileUpload::FetchBlocks(MutexLock& lock, uint64_t offset, uint64_t length, bool read) {
  while (true) {
    if (Status local = EnsureLocalCopy(); !local) return local;
    const std::vector<uint64_t> blocks = local_->RemoteBlocks(offset, length, read);
    if (blocks.empty()) return OkStatus();
    const uint64_t generation = local_->generation();
    const std::vector<BasePiece> base = local_->base();
    std::vector<std::pair<uint64_t, std::pair<uint64_t, uint64_t>>> ranges;
    ranges.reserve(blocks.size());
    for (uint64_t b : blocks) ranges.emplace_back(b, local_->BaseRange(b));
    mu_.unlock();  // the caller's MutexLock owns it again on return
    std::vector<std::string> fetched;
    Status status;
    for (const auto& [block, range] : ranges) {
      std::string bytes(range.second - range.first, '\0');
      status = FetchBase(env_.client, base, range.first, bytes);
      if (!status) break;
      fetched.push_back(std::move(bytes));
    }
    mu_.lock();
    WaitIdle(lock);
    if (!status) return status;
    if (Status usable = Usable(); !usable) return usable;
    if (!local_) continue;
    for (size_t i = 0; i < fetched.size(); ++i) {
      if (Status installed = local_->Install(ranges[i].first, fetched[i], generation); !installed) {
        return installed;
      }
    }
  }
}

Status FileUpload::StagedWrite(MutexLock& lock, uint64_t offset, std::span<const char> data) {
  if (Status fetched = FetchBlocks(lock, offset, data.size(), false); !fetched) return fetched;
  if (Status written = local_->Write(offset, data); !written) return written;
  size_ = local_->size();
  return OkStatus();
}

Result<size_t> FileUpload::Read(uint64_t offset, std::span<char> buffer) {
  MutexLock lock(mu_);
  WaitIdle(lock);
  if (failure_ && !local_) return *failure_;
  if (streaming_) {
    if (local_ && pending_.empty()) return local_->Read(offset, buffer);
    if (Status left = LeaveStreaming(lock); !left) return std::move(left).error();
  }
  if (offset >= size_) return size_t{0};
  const uint64_t length = std::min<uint64_t>(buffer.size(), size_ - offset);
  if (Status fetched = FetchBlocks(lock, offset, length, true); !fetched) {
    return std::move(fetched).error();
  }
  return local_->Read(offset, buffer.first(length));
}

Status FileUpload::Truncate(uint64_t size) {
  MutexLock lock(mu_);
  WaitIdle(lock);
  if (Status usable = Usable(); !usable) return usable;
  if (size > env_.max_size) return MakeError(ErrorCode::kTooLarge, "file too large to store");
  dirty_ = true;
  phase_ = Phase::kWriting;
  mtime_ = env_.clock.Now();
  if (streaming_) {
    if (size == stream_end_ && pending_.empty()) return OkStatus();
    if (size == 0 && next_index_ == 0) {
      // Nothing uploaded yet (O_TRUNC of a file just created): start over in memory.
      current_.clear();
      pending_.clear();
      pending_bytes_ = 0;
      stream_end_ = size_ = 0;
      if (local_) return local_->Truncate(0);
      return OkStatus();
    }
    if (Status left = LeaveStreaming(lock); !left) return left;
  }
  if (Status local = EnsureLocalCopy(); !local) return local;
  if (Status truncated = local_->Truncate(size); !truncated) return truncated;
  size_ = size;
  return OkStatus();
}

void FileUpload::SetMtime(swift::WallTime mtime, bool dirty) {
  MutexLock lock(mu_);
  WaitIdle(lock);
  mtime_ = mtime;
  if (dirty && !failure_) {
    dirty_ = true;
    phase_ = Phase::kWriting;
  }
}

}  // namespace swiftfs::core
