#pragma once
// SegmentWriter: the segments of one commit attempt of one large file, uploaded in
// parallel to `<container>_segments` as `<object>/swiftfs/<upload-id>/<8-digit index>`
// (the container convention of `swift upload` and rclone; the "swiftfs/<upload-id>" part
// marks what this mount may later delete, see segment_names.h). Each PUT carries the
// segment's MD5 as ETag, so Swift refuses damaged bytes; a kChecksumMismatch is retried
// with the same bytes (kChecksumRetries), other errors are the RetryingObjectClient's.
//
// Parallelism and memory are bounded mount-wide by SegmentSlots: Submit waits (with no
// lock of the caller held) until a slot is free, and the segment's buffer lives only
// until its PUT returns, so at most `slots` segment buffers are in flight at once.
//
// Nothing here is visible to readers of the object: segments become part of a file only
// when a manifest naming them is PUT (file_upload.h). A writer that is not committed is
// cleaned up with DeleteAll.
//
// Thread-safe. mu_ is a leaf lock, never held across a request or a wait.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/local_copy.h"
#include "swiftfs/common/result.h"
#include "swiftfs/common/thread_annotations.h"
#include "swiftfs/swift/object_client.h"

namespace swiftfs::core {

// A counting semaphore: segment uploads in flight across the mount.
class SegmentSlots {
 public:
  explicit SegmentSlots(size_t slots) : free_(slots == 0 ? 1 : slots) {}
  void Acquire();
  void Release();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t free_;  // guarded by mu_
};

inline constexpr int kChecksumRetries = 3;

// Uploads `body` with its MD5 as ETag (write.etag when the caller computed it already),
// retrying a checksum mismatch.
Result<swift::WriteResult> UploadChecked(swift::ObjectClient& client, swift::ObjectWrite write,
                                         std::span<const char> body);

class SegmentWriter {
 public:
  // `prefix` is "<object>/swiftfs/<upload-id>/" (SegmentPrefix).
  SegmentWriter(swift::ObjectClient& client, SegmentSlots& slots, std::string segment_container,
                std::string prefix);
  ~SegmentWriter();  // waits for the uploads in flight
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Starts uploading `data`, bytes [offset, offset + size) of the file, as segment `index`
  // (waits for a free slot first). Call with no lock held.
  void Submit(uint32_t index, uint64_t offset, std::string data);
  // The same, with bytes shared with others (the disk cache writes them too): the writer
  // lets go of them when the PUT returns.
  void Submit(uint32_t index, uint64_t offset, std::shared_ptr<const std::string> data);
  // The first error of a segment already finished, if any: a Write fails early with it.
  std::optional<Error> Failure() const;
  // Waits for every segment submitted; their manifest entries in index order, or the
  // first error.
  Result<std::vector<swift::SloSegment>> Finish();
  // The segments stored so far as the base of a LocalCopy (after Finish succeeded).
  std::vector<BasePiece> Pieces() const;
  // Waits for the uploads in flight, then deletes every segment stored (best effort).
  void DeleteAll();
  const std::string& prefix() const { return prefix_; }
  // Bytes of segments submitted and not freed yet: at most `slots` segments mount-wide.
  uint64_t held_bytes() const { return held_bytes_.load(); }
  const std::string& segment_container() const { return segment_container_; }

 private:
  struct Stored {
    uint64_t offset = 0;
    swift::SloSegment segment;
  };
  // A segment's bytes, counted in held_bytes_ for as long as the writer holds them.
  struct HeldBuffer {
    HeldBuffer(std::shared_ptr<const std::string> bytes, std::atomic<uint64_t>& counter)
        : data(std::move(bytes)), held(counter) {
      held += data->size();
    }
    ~HeldBuffer() { held -= data->size(); }
    HeldBuffer(const HeldBuffer&) = delete;
    HeldBuffer& operator=(const HeldBuffer&) = delete;
    std::shared_ptr<const std::string> data;
    std::atomic<uint64_t>& held;
  };
  void WaitAll();

  swift::ObjectClient& client_;
  SegmentSlots& slots_;
  const std::string segment_container_;
  const std::string prefix_;
  std::once_flag container_made_;
  Status container_status_;  // written once, inside container_made_
  std::atomic<uint64_t> held_bytes_{0};

  mutable Mutex mu_;
  std::vector<std::future<void>> in_flight_ GUARDED_BY(mu_);
  std::map<uint32_t, Stored> stored_ GUARDED_BY(mu_);
  std::optional<Error> failure_ GUARDED_BY(mu_);
};

}  // namespace swiftfs::core
