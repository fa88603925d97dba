#include "core/segment_writer.h"

#include <cstdio>
#include <utility>

#include "core/md5.h"
#include "core/segment_names.h"

namespace swiftfs::core {

std::string SegmentName(const std::string& prefix, uint32_t index) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%08u", index);
  return prefix + digits;
}

std::optional<ParsedSegment> ParseSegmentName(std::string_view name) {
  // The last marker: an object name may itself contain "/swiftfs/".
  const size_t marker = name.rfind(kSegmentMarker);
  if (marker == std::string_view::npos || marker == 0) return std::nullopt;
  const std::string_view rest = name.substr(marker + kSegmentMarker.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const std::string_view index = rest.substr(slash + 1);
  if (index.size() != 8 || index.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return ParsedSegment{std::string(name.substr(0, marker)),
                       std::string(name.substr(0, marker + kSegmentMarker.size() + slash + 1))};
}

void SegmentSlots::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return free_ > 0; });
  --free_;
}

void SegmentSlots::Release() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++free_;
  }
  cv_.notify_one();
}

Result<swift::WriteResult> UploadChecked(swift::ObjectClient& client, swift::ObjectWrite write,
                                         std::span<const char> body) {
  if (write.etag.empty()) write.etag = Md5Hex(body);
  for (int attempt = 1;; ++attempt) {
    auto result = client.UploadObject(write, body);
    if (result || result.error().code != ErrorCode::kChecksumMismatch ||
        attempt >= kChecksumRetries) {
      return result;
    }
  }
}

SegmentWriter::SegmentWriter(swift::ObjectClient& client, SegmentSlots& slots,
                             std::string segment_container, std::string prefix)
    : client_(client),
      slots_(slots),
      segment_container_(std::move(segment_container)),
      prefix_(std::move(prefix)) {}

SegmentWriter::~SegmentWriter() { WaitAll(); }

void SegmentWriter::Submit(uint32_t index, uint64_t offset, std::string data) {
  Submit(index, offset, std::make_shared<const std::string>(std::move(data)));
}

void SegmentWriter::Submit(uint32_t index, uint64_t offset,
                           std::shared_ptr<const std::string> data) {
  std::call_once(container_made_, [this] {
    // PUT of an existing container is harmless (202); one per commit attempt.
    container_status_ = client_.PutContainer(segment_container_);
  });
  if (!container_status_) {
    MutexLock lock(mu_);
    if (!failure_) failure_ = container_status_.error();
    return;
  }
  slots_.Acquire();
  // The buffer is owned by the task and freed as soon as its PUT returns, before the slot
  // is: std::async keeps the callable (and what it captured) until the future is
  // destroyed, at Finish, so a captured string would keep the whole file in memory.
  auto buffer = std::make_unique<HeldBuffer>(std::move(data), held_bytes_);
  auto task = [this, index, offset, buffer = std::move(buffer)]() mutable {
    swift::ObjectWrite write;
    write.container = segment_container_;
    write.name = SegmentName(prefix_, index);
    write.etag = Md5Hex(*buffer->data);  // once: the PUT's ETag and the manifest's
    const uint64_t size = buffer->data->size();
    auto result = UploadChecked(client_, write, *buffer->data);
    buffer.reset();
    slots_.Release();
    MutexLock lock(mu_);
    if (!result) {
      if (!failure_) failure_ = std::move(result).error();
      return;
    }
    swift::SloSegment segment;
    segment.path = segment_container_ + "/" + write.name;
    segment.etag = write.etag;
    segment.size_bytes = size;
    stored_[index] = Stored{offset, std::move(segment)};
  };
  std::future<void> started = std::async(std::launch::async, std::move(task));
  MutexLock lock(mu_);
  in_flight_.push_back(std::move(started));
}

std::optional<Error> SegmentWriter::Failure() const {
  MutexLock lock(mu_);
  return failure_;
}

void SegmentWriter::WaitAll() {
  std::vector<std::future<void>> waiting;
  {
    MutexLock lock(mu_);
    waiting.swap(in_flight_);
  }
  for (auto& f : waiting) f.wait();
}

Result<std::vector<swift::SloSegment>> SegmentWriter::Finish() {
  WaitAll();
  MutexLock lock(mu_);
  if (failure_) return *failure_;
  std::vector<swift::SloSegment> segments;
  segments.reserve(stored_.size());
  for (const auto& [index, stored] : stored_) segments.push_back(stored.segment);
  return segments;
}

std::vector<BasePiece> SegmentWriter::Pieces() const {
  MutexLock lock(mu_);
  std::vector<BasePiece> pieces;
  for (const auto& [index, stored] : stored_) {
    pieces.push_back(BasePiece{stored.offset, stored.segment.size_bytes, segment_container_,
                               SegmentName(prefix_, index), stored.segment.etag});
  }
  return pieces;
}

void SegmentWriter::DeleteAll() {
  WaitAll();
  std::vector<std::string> names;
  {
    MutexLock lock(mu_);
    for (const auto& [index, stored] : stored_) names.push_back(SegmentName(prefix_, index));
    stored_.clear();
  }
  for (const std::string& name : names) {
    (void)client_.DeleteObject(segment_container_, name, swift::DeleteMode::kObjectOnly);
  }
}

}  // namespace swiftfs::core
