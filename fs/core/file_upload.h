#pragma once
// FileUpload: the Upload of swiftfs (upload.h), in two modes.
//
// STREAMING (a new file, or one opened with O_TRUNC): bytes written in order go into the
// current segment's buffer; each full segment is handed to a SegmentWriter, which uploads
// it while the program goes on writing. Writes a little ahead of the end (the kernel may
// reorder a few) wait in a reorder window until the gap fills. At commit, a file smaller
// than one segment is one PUT of the buffer; a larger one gets its last segment and an SLO
// manifest. Memory: one buffer per streaming upload plus the SegmentSlots in flight.
// The written bytes are also teed into a LocalCopy while the staging budget allows, so
// they can be read back, and so that leaving streaming costs nothing. With a disk cache
// (env.readers), each segment is also offered to a cache::PendingVersion as it is cut,
// sharing its buffer with the segment's PUT: a file of any size lands in the cache as it
// is written and becomes the committed version's blocks, with no copy at the commit.
//
// STAGED (everything else: a write behind the end or far ahead of it, truncate to a
// non-zero size, reopen without O_TRUNC, and every write after a commit): a LocalCopy over
// the previous content (fetched on demand). A commit re-reads the whole file (local
// blocks, and the base for blocks never touched) into one PUT or into segments.
//
// A commit of a file that replaced an SLO deletes the old version's own segments after
// the new manifest or object is in place, by the rule of segment_names.h; a failed commit
// deletes the segments it stored and leaves the previous version as it was.
//
// INVARIANTS (under mu_): while busy_ (a commit or a mode switch runs with mu_ released)
// no other method changes anything: they wait on cv_. streaming_ implies
// stream_end_ == size of the bytes accepted in order, current_ holds bytes
// [stream_end_ - current_.size(), stream_end_), and local_ (when not null) holds
// [0, stream_end_). submitting_ counts Submits running with mu_ released.
// LOCK ORDERING: mu_ is taken before SegmentWriter::mu_ and nothing else; never held
// across a request or a wait for a slot. Helpers that let it go for a request get the
// caller's MutexLock (for condition waits) but release and retake mu_ itself, which
// clang's analysis can follow (it cannot through a MutexLock reference).

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/local_copy.h"
#include "core/segment_writer.h"
#include "core/staging_area.h"
#include "core/upload.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/clock.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

// What every upload of a mount shares.
struct UploadEnv {
  swift::ObjectClient& client;
  Clock& clock;
  Logger& logger;
  StagingArea& staging;
  SegmentSlots& slots;
  uint64_t segment_size = 0;  // effective (checked against the cluster's SLO limits)
  uint64_t max_size = 0;      // kTooLarge past it
  bool slo = true;            // the cluster has SLO: files may exceed one segment
  uint64_t reorder_window = 0;
  std::function<std::string()> new_upload_id;
  // Offered the bytes of every commit still held locally (the disk cache takes them);
  // null: none.
  cache::FileReaderFactory* readers = nullptr;
};

class FileUpload final : public Upload {
 public:
  FileUpload(UploadEnv& env, UploadTarget target,
             std::function<void(const CommitOutcome&)> on_commit);
  ~FileUpload() override;

  Result<size_t> Write(uint64_t offset, std::span<const char> data) override;
  Result<size_t> Read(uint64_t offset, std::span<char> buffer) override;
  Status Truncate(uint64_t size) override;
  void SetMtime(swift::WallTime mtime, bool dirty) override;
  Status Commit() override;
  UploadState State() const override;

 private:
  enum class Phase { kOpen, kWriting, kCommitting, kCommitted, kFailed };
  // What a commit publishes, gathered with mu_ held and used with it released.
  struct Plan;

  void WaitIdle(MutexLock& lock) REQUIRES(mu_);
  Status Usable() const REQUIRES(mu_);
  void Append(std::span<const char> data) REQUIRES(mu_);
  // True when [offset, end) meets a piece held in the reorder window.
  bool OverlapsPendingLocked(uint64_t offset, uint64_t end) const REQUIRES(mu_);
  void DrainPending() REQUIRES(mu_);
  void SubmitUnlocked(SegmentWriter& writer, uint32_t index, uint64_t offset,
                      std::shared_ptr<const std::string> data) REQUIRES(mu_);
  // Offers a segment cut from the stream to the disk cache (to_cache_, begun at the first).
  void OfferToCache(uint64_t offset, const std::shared_ptr<const std::string>& data) REQUIRES(mu_);
  Status LeaveStreaming(MutexLock& lock) REQUIRES(mu_);
  Status EnsureLocalCopy() REQUIRES(mu_);
  Status FetchBlocks(MutexLock& lock, uint64_t offset, uint64_t length, bool read) REQUIRES(mu_);
  Status StagedWrite(MutexLock& lock, uint64_t offset, std::span<const char> data) REQUIRES(mu_);
  std::unique_ptr<SegmentWriter> NewWriter(const std::string& container, const std::string& name);
  // Bytes [offset, offset + out.size()) of a staged file during a commit.
  Status ReadForCommit(uint64_t offset, std::span<char> out) EXCLUDES(mu_);
  Result<swift::WriteResult> PublishStreamed(Plan& plan) REQUIRES(mu_);
  Result<swift::WriteResult> PublishStaged(Plan& plan) EXCLUDES(mu_);
  Result<swift::WriteResult> PutManifest(Plan& plan, SegmentWriter& writer);
  void Fail(Error error) REQUIRES(mu_);
  // After a successful commit, while busy_: offers the committed bytes still held (the
  // local copy, or `whole`, the file a one-PUT stream held in memory) to env_.readers.
  void WriteThrough(const CommitOutcome& outcome, const std::string& whole,
                    std::unique_ptr<cache::PendingVersion> pending) EXCLUDES(mu_);
  swift::ObjectWrite ObjectWriteFor(const Plan& plan) const;

  UploadEnv& env_;
  const UploadTarget target_;
  const std::function<void(const CommitOutcome&)> on_commit_;

  mutable Mutex mu_;
  std::condition_variable cv_;
  Phase phase_ GUARDED_BY(mu_) = Phase::kOpen;
  std::optional<Error> failure_ GUARDED_BY(mu_);
  bool busy_ GUARDED_BY(mu_) = false;
  int submitting_ GUARDED_BY(mu_) = 0;
  bool dirty_ GUARDED_BY(mu_) = false;
  uint64_t size_ GUARDED_BY(mu_) = 0;
  swift::WallTime mtime_ GUARDED_BY(mu_){};
  std::string committed_etag_ GUARDED_BY(mu_);
  // Where the file is (the target's name until a rename moved it; see UploadTarget::where).
  std::string container_ GUARDED_BY(mu_);
  std::string name_ GUARDED_BY(mu_);
  bool previous_may_be_slo_ GUARDED_BY(mu_) = false;
  bool exclusive_ GUARDED_BY(mu_) = false;

  bool streaming_ GUARDED_BY(mu_) = false;
  uint64_t stream_end_ GUARDED_BY(mu_) = 0;
  std::string current_ GUARDED_BY(mu_);
  uint32_t next_index_ GUARDED_BY(mu_) = 0;
  std::map<uint64_t, std::string> pending_ GUARDED_BY(mu_);
  uint64_t pending_bytes_ GUARDED_BY(mu_) = 0;
  std::unique_ptr<SegmentWriter> writer_ GUARDED_BY(mu_);
  // The streamed bytes on their way to the disk cache; dropped when streaming ends
  // without a commit.
  std::unique_ptr<cache::PendingVersion> to_cache_ GUARDED_BY(mu_);

  std::unique_ptr<LocalCopy> local_ GUARDED_BY(mu_);
  // Segments no manifest will name (streaming abandoned): deleted after the next commit.
  std::vector<std::unique_ptr<SegmentWriter>> abandoned_ GUARDED_BY(mu_);
};

// The FileUpload factory of a mount.
class FileUploadFactory final : public UploadFactory {
 public:
  explicit FileUploadFactory(UploadEnv& env) : env_(env) {}
  std::shared_ptr<Upload> Start(UploadTarget target,
                                std::function<void(const CommitOutcome&)> on_commit) override {
    return std::make_shared<FileUpload>(env_, std::move(target), std::move(on_commit));
  }

 private:
  UploadEnv& env_;
};

// "1700000000.123456": X-Object-Meta-Mtime as swiftclient and rclone write it.
std::string MtimeText(swift::WallTime t);

}  // namespace swiftfs::core
