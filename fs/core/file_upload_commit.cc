// FileUpload::Commit: gathers what to publish with the lock held, publishes it with the
// lock released (busy_ keeps every other method waiting), then records the outcome and
// deletes what is garbage now: the replaced version's own segments after a success, this
// attempt's segments after a failure (segment_names.h has the rule).
#include <algorithm>

#include "core/file_upload.h"
#include "core/md5.h"
#include "core/segment_names.h"

namespace swiftfs::core {

struct FileUpload::Plan {
  std::string container;  // where the commit publishes
  std::string name;
  uint64_t size = 0;
  swift::WallTime mtime{};
  bool exclusive = false;
  bool manifest = false;
  std::vector<swift::SloSegment> old_segments;  // of the version this commit replaces
};

namespace {

// The segments of `old` that this commit may delete: swiftfs's own, of this very name.
std::vector<std::string> OwnSegments(const std::vector<swift::SloSegment>& old,
                                     const std::string& container, const std::string& name) {
  std::vector<std::string> names;
  const std::string segments = SegmentContainer(container) + "/";
  for (const swift::SloSegment& segment : old) {
    if (segment.path.rfind(segments, 0) != 0) continue;
    const std::string object = segment.path.substr(segments.size());
    auto parsed = ParseSegmentName(object);
    if (parsed && parsed->object == name) names.push_back(object);
  }
  return names;
}

}  // namespace

swift::ObjectWrite FileUpload::ObjectWriteFor(const Plan& plan) const {
  swift::ObjectWrite write;
  write.container = plan.container;
  write.name = plan.name;
  write.content_type = target_.content_type;
  write.metadata = target_.metadata;
  write.metadata["mtime"] = MtimeText(plan.mtime);
  write.if_none_match = plan.exclusive;
  return write;
}

Result<swift::WriteResult> FileUpload::PutManifest(Plan& plan, SegmentWriter& writer) {
  auto segments = writer.Finish();
  if (!segments) return std::move(segments).error();
  std::string etags;
  for (const swift::SloSegment& segment : *segments) etags += segment.etag;
  swift::ObjectWrite write = ObjectWriteFor(plan);
  write.etag = Md5Hex(etags);
  plan.manifest = true;
  auto result = env_.client.UploadManifest(write, *segments);
  if (result && result->etag.empty()) result->etag = write.etag;
  return result;
}

Status FileUpload::ReadForCommit(uint64_t offset, std::span<char> out) {
  std::vector<BasePiece> base;
  std::vector<std::pair<uint64_t, uint64_t>> remote;
  {
    MutexLock lock(mu_);
    if (Status local = EnsureLocalCopy(); !local) return local;
    for (uint64_t block : local_->RemoteBlocks(offset, out.size(), true)) {
      remote.push_back(local_->BaseRange(block));
    }
    base = local_->base();
    auto got = local_->Read(offset, out);  // remote blocks read as zeros here
    if (!got) return std::move(got).error();
  }
  for (const auto& [first, last] : remote) {
    const uint64_t from = std::max(first, offset);
    const uint64_t to = std::min(last, offset + out.size());
    if (from >= to) continue;
    if (Status fetched = FetchBase(env_.client, base, from, out.subspan(from - offset, to - from));
        !fetched) {
      return fetched;
    }
  }
  return OkStatus();
}

Result<swift::WriteResult> FileUpload::PublishStreamed(Plan& plan) {
  if (!writer_) {
    // Smaller than one segment: the whole file is in current_.
    std::string body = current_;
    mu_.unlock();
    auto result = UploadChecked(env_.client, ObjectWriteFor(plan), body);
    mu_.lock();
    return result;
  }
  SegmentWriter* writer = writer_.get();
  const uint64_t tail_offset = stream_end_ - current_.size();
  auto tail = std::make_shared<const std::string>(current_);
  const uint32_t tail_index = next_index_;
  if (!tail->empty()) OfferToCache(tail_offset, tail);
  mu_.unlock();
  if (!tail->empty()) writer->Submit(tail_index, tail_offset, std::move(tail));
  auto result = PutManifest(plan, *writer);
  mu_.lock();
  return result;
}

Result<swift::WriteResult> FileUpload::PublishStaged(Plan& plan) {
  if (plan.size <= env_.segment_size || !env_.slo) {
    std::string body(plan.size, '\0');
    if (Status read = ReadForCommit(0, body); !read) return std::move(read).error();
    return UploadChecked(env_.client, ObjectWriteFor(plan), body);
  }
  std::unique_ptr<SegmentWriter> writer = NewWriter(plan.container, plan.name);
  uint32_t index = 0;
  Status status;
  for (uint64_t offset = 0; offset < plan.size; offset += env_.segment_size) {
    std::string chunk(std::min(env_.segment_size, plan.size - offset), '\0');
    status = ReadForCommit(offset, chunk);
    if (!status) break;
    writer->Submit(index++, offset, std::move(chunk));
    if (auto failed = writer->Failure()) {
      status = *failed;
      break;
    }
  }
  Result<swift::WriteResult> result = MakeError(ErrorCode::kInternal, "unset");
  if (status) {
    result = PutManifest(plan, *writer);
  } else {
    result = status.error();
  }
  if (!result) writer->DeleteAll();
  return result;
}

void FileUpload::WriteThrough(const CommitOutcome& outcome, const std::string& whole,
                              std::unique_ptr<cache::PendingVersion> pending) {
  const cache::ObjectVersion version{outcome.container, outcome.name, outcome.etag, outcome.size};
  // First the blocks stored as they were written; then those only held here now.
  if (pending) pending->Commit(version);
  env_.readers->Committed(version, [&](uint64_t offset, std::span<char> out) {
    if (offset > version.size || out.size() > version.size - offset) return false;
    if (whole.size() == version.size) {
      std::copy_n(whole.data() + offset, out.size(), out.data());
      return true;
    }
    MutexLock lock(mu_);
    // Blocks never written here (a staged file's untouched base) are only in Swift.
    if (!local_ || local_->size() != version.size ||
        !local_->RemoteBlocks(offset, out.size(), true).empty()) {
      return false;
    }
    auto got = local_->Read(offset, out);
    return got && *got == out.size();
  });
}

Status FileUpload::Commit() {
  MutexLock lock(mu_);
  WaitIdle(lock);
  if (!failure_ && dirty_ && streaming_ && !pending_.empty()) {
    // A gap in the reorder window never filled: the file has holes, so it is staged.
    (void)LeaveStreaming(lock);
  }
  if (failure_ || !dirty_) {
    std::vector<std::unique_ptr<SegmentWriter>> garbage = std::move(abandoned_);
    abandoned_.clear();
    if (failure_ && writer_) garbage.push_back(std::move(writer_));
    Status outcome = Usable();
    lock.unlock();
    for (auto& writer : garbage) writer->DeleteAll();
    return outcome;
  }
  busy_ = true;
  phase_ = Phase::kCommitting;
  lock.Wait(cv_, [this]() REQUIRES(mu_) { return submitting_ == 0; });
  Plan plan;
  plan.container = container_;
  plan.name = name_;
  plan.size = size_;
  plan.mtime = mtime_;
  plan.exclusive = exclusive_;
  const bool check_old = previous_may_be_slo_;
  lock.unlock();
  std::optional<std::pair<std::string, std::string>> where =
      target_.where ? target_.where()
                    : std::make_optional(std::make_pair(plan.container, plan.name));
  if (where && *where != std::make_pair(plan.container, plan.name)) {
    // Renamed since the last commit: the rename moved what Swift held; publish there.
    plan.container = where->first;
    plan.name = where->second;
  }
  if (where && check_old) {
    auto old = env_.client.GetManifest(plan.container, plan.name);
    if (old) plan.old_segments = std::move(*old);  // else: not an SLO (any more), or gone
  }
  lock.lock();
  if (!where) {
    // Unlinked while open: nothing to publish; what was uploaded for it is garbage.
    std::vector<std::unique_ptr<SegmentWriter>> garbage = std::move(abandoned_);
    abandoned_.clear();
    if (writer_) garbage.push_back(std::move(writer_));
    to_cache_.reset();
    streaming_ = false;
    current_.clear();
    dirty_ = false;
    busy_ = false;
    cv_.notify_all();
    lock.unlock();
    for (auto& writer : garbage) writer->DeleteAll();
    return OkStatus();
  }
  container_ = plan.container;
  name_ = plan.name;
  Result<swift::WriteResult> result = MakeError(ErrorCode::kInternal, "unset");
  if (streaming_) {
    result = PublishStreamed(plan);
  } else {
    lock.unlock();
    result = PublishStaged(plan);
    lock.lock();
  }

  std::vector<std::unique_ptr<SegmentWriter>> garbage = std::move(abandoned_);
  abandoned_.clear();
  std::vector<std::string> old_segments;
  CommitOutcome outcome;
  std::string whole;  // a one-PUT stream's file, when no local copy holds it
  std::unique_ptr<cache::PendingVersion> to_cache = std::move(to_cache_);
  if (result) {
    outcome = CommitOutcome{plan.container, plan.name, plan.size, result->etag, plan.mtime};
    committed_etag_ = result->etag;
    dirty_ = false;
    phase_ = Phase::kCommitted;
    previous_may_be_slo_ = plan.manifest;
    exclusive_ = false;
    if (streaming_) {
      if (!writer_ && !local_) whole = std::move(current_);
      // The segments belong to the object now; later writes are staged over it.
      writer_.reset();
      current_.clear();
      streaming_ = false;
    }
    if (local_) {
      local_->Rebase({BasePiece{0, plan.size, plan.container, plan.name, result->etag}});
    }
    old_segments = OwnSegments(plan.old_segments, plan.container, plan.name);
  } else {
    Fail(result.error());
    if (writer_) garbage.push_back(std::move(writer_));
    to_cache.reset();  // what the cache took of it is dropped
  }
  if (result && env_.readers != nullptr) {
    lock.unlock();  // busy_ still keeps the local copy as committed
    WriteThrough(outcome, whole, std::move(to_cache));
    lock.lock();
  }
  busy_ = false;
  cv_.notify_all();
  lock.unlock();

  for (auto& writer : garbage) writer->DeleteAll();
  if (!result) {
    env_.logger.Warning("upload of " + plan.container + "/" + plan.name +
                        " failed: " + result.error().ToString());
    return std::move(result).error();
  }
  const std::string segments = SegmentContainer(plan.container);
  for (const std::string& name : old_segments) {
    (void)env_.client.DeleteObject(segments, name, swift::DeleteMode::kObjectOnly);
  }
  if (on_commit_) on_commit_(outcome);
  return OkStatus();
}

}  // namespace swiftfs::core
