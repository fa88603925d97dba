#include "cache/prefetch/prefetch_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "swiftfs/cache/read_exactly.h"

namespace swiftfs::cache {

PrefetchReader::PrefetchReader(const ObjectVersion& version, PrefetchContext& context)
    : version_(std::make_shared<const ObjectVersion>(version)),
      context_(context),
      window_(context.options.window_min) {
  context_.buffers.AddUser();
}

PrefetchReader::PrefetchReader(const ObjectVersion& version, PrefetchContext& context,
                               std::shared_ptr<Part> whole)
    : PrefetchReader(version, context) {
  MutexLock lock(mu_);
  // A read anywhere in it continues the "stream" (ContinuesStreamLocked), and nothing is
  // scheduled beyond it: the part ends where the object does.
  parts_.push_back(std::move(whole));
}

PrefetchReader::~PrefetchReader() {
  {
    MutexLock lock(mu_);
    CancelAllLocked();
  }
  context_.buffers.RemoveUser();
}

Result<size_t> PrefetchReader::Read(uint64_t offset, std::span<char> buffer,
                                    const std::atomic<bool>* cancel) {
  if (offset >= version_->size || buffer.empty()) return size_t{0};
  buffer = buffer.first(std::min<uint64_t>(buffer.size(), version_->size - offset));
  const swift::ReadControl control{cancel, {}};
  const PartList covering = PlanAndSubmit(offset, offset + buffer.size());
  auto collected = CollectFromParts(offset, offset + buffer.size(), covering, control);
  if (!collected) return std::move(collected).error();
  return CompleteInto(offset, buffer, *collected, control);
}

Result<ReadView> PrefetchReader::ReadInPlace(uint64_t offset, size_t size,
                                             const std::atomic<bool>* cancel) {
  if (offset >= version_->size || size == 0) return ReadView{};
  size = std::min<uint64_t>(size, version_->size - offset);
  const swift::ReadControl control{cancel, {}};
  PartList covering = PlanAndSubmit(offset, offset + size);
  auto collected = CollectFromParts(offset, offset + size, covering, control);
  if (!collected) return std::move(collected).error();
  ReadView view;
  if (collected->bytes == size || collected->at_end) {
    // All in parts: the kernel gets their bytes, no copy. The parts (and their memory
    // reservation) live until the reply is sent.
    if (collected->bytes > 0) context_.counters.Add(Counter::kPrefetchHits);
    view.pieces = std::move(collected->pieces);
    view.owner = std::make_shared<const PartList>(std::move(covering));
    return view;
  }
  std::shared_ptr<char[]> buffer(std::make_unique_for_overwrite<char[]>(size));
  auto n = CompleteInto(offset, std::span<char>(buffer.get(), size), *collected, control);
  if (!n) return std::move(n).error();
  if (*n > 0) view.pieces.emplace_back(buffer.get(), *n);
  view.owner = std::move(buffer);
  return view;
}

PrefetchReader::PartList PrefetchReader::PlanAndSubmit(uint64_t offset, uint64_t end) {
  PartList to_submit;
  PartList covering = Plan(offset, end, to_submit);
  for (auto& part : to_submit) {
    // A weak reference: a part its reader already dropped (passed, or fetched by the
    // reader itself while this task waited in the queue) is not kept alive, with its
    // memory, until the pool gets to the task.
    context_.pool.Submit(
        [weak = std::weak_ptr<Part>(part), version = version_, &context = context_] {
          if (auto part = weak.lock()) part->Fetch(context.client, *version, context.buffers);
        });
  }
  return covering;
}

Result<size_t> PrefetchReader::CompleteInto(uint64_t offset, std::span<char> buffer,
                                            const Collected& collected,
                                            const swift::ReadControl& control) {
  size_t done = 0;
  for (std::span<const char> piece : collected.pieces) {
    std::memcpy(buffer.data() + done, piece.data(), piece.size());
    done += piece.size();
  }
  if (done > 0) context_.counters.Add(Counter::kPrefetchHits);
  if (done < buffer.size() && !collected.at_end) {
    // Not covered by a part (random access, no memory budget left, a gap) or a part failed
    // transiently: one exact-size GET straight into the caller's buffer.
    Result<size_t> direct =
        ReadExactly(context_.client, *version_, offset + done, buffer.subspan(done), control);
    if (!direct) return std::move(direct).error();
    done += *direct;
  }
  return done;
}

PrefetchReader::PartList PrefetchReader::Plan(uint64_t offset, uint64_t end, PartList& to_submit) {
  MutexLock lock(mu_);
  DropBrokenPartsLocked();
  if (!ContinuesStreamLocked(offset)) {
    // A seek: what was fetched ahead is for another place in the file.
    CancelAllLocked();
    stream_reads_ = 0;
    stream_end_ = 0;
    grown_through_ = 0;
    window_ = context_.options.window_min;
  }
  if (stream_reads_ < UINT32_MAX) ++stream_reads_;
  stream_end_ = std::max(stream_end_, end);
  DropPassedPartsLocked(offset);
  // A whole-file reader (cat, cp, tar) starts at offset 0. For a file no larger than the
  // first window that is reason enough to fetch all of it at once: one GET instead of the
  // two or three reads it takes to recognise a stream, and at most window_min fetched for
  // a reader that stops early. (A first read that covers the file is simply read direct.)
  const bool small_file_from_start = stream_reads_ == 1 && offset == 0 && end < version_->size &&
                                     version_->size <= context_.options.window_min;
  if (small_file_from_start || stream_reads_ >= context_.options.sequential_reads) {
    ScheduleLocked(offset, end, to_submit);
  }

  PartList covering;
  for (const auto& part : parts_) {
    if (part->end() <= offset) continue;
    if (part->offset() >= end) break;
    covering.push_back(part);
  }
  return covering;
}

bool PrefetchReader::ContinuesStreamLocked(uint64_t offset) const {
  for (const auto& part : parts_) {
    if (part->offset() <= offset && offset < part->end()) return true;
  }
  const PrefetchOptions& options = context_.options;
  // A stream being established must stay close to its previous read, so that random reads
  // that happen to land near each other do not start fetching megabytes.
  const uint64_t slack =
      stream_reads_ >= options.sequential_reads ? options.reorder_tolerance : options.start_slack;
  return offset + slack >= stream_end_ && offset <= stream_end_ + slack;
}

void PrefetchReader::DropPassedPartsLocked(uint64_t offset) {
  const PrefetchOptions& options = context_.options;
  for (const auto& part : parts_) {
    if (part->end() > offset) break;
    if (part->end() > grown_through_) {
      // The stream went through a whole part: it is long-lived, so fetch further ahead.
      window_ = std::min(window_ * 2, options.window_max);
      grown_through_ = part->end();
    }
  }
  // Keep parts a little behind the stream for reads that arrive out of order.
  while (!parts_.empty() && parts_.front()->end() + options.reorder_tolerance <= offset) {
    parts_.pop_front();
  }
}

void PrefetchReader::DropBrokenPartsLocked() {
  auto broken = std::find_if(parts_.begin(), parts_.end(), [](const auto& part) {
    Part::State state = part->state();
    return state == Part::State::kFailed || state == Part::State::kCancelled;
  });
  // Keeping the parts after a hole would break contiguity; the stream reschedules them.
  for (auto it = broken; it != parts_.end(); ++it) (*it)->Cancel();
  parts_.erase(broken, parts_.end());
}

void PrefetchReader::ScheduleLocked(uint64_t offset, uint64_t end, PartList& to_submit) {
  const PrefetchOptions& options = context_.options;
  if (!parts_.empty() && parts_.back()->end() < offset) CancelAllLocked();
  uint64_t from = parts_.empty() ? offset : parts_.back()->end();
  // Never past what a cache in front holds (LimitReadAhead); the read itself is fetched.
  const uint64_t limit = std::max(end, read_ahead_end_);
  const uint64_t target = std::min({version_->size, end + window_, limit});
  while (from < target) {
    uint64_t length = std::min({options.part_size, window_, version_->size - from, limit - from});
    MemoryBudget::Reservation reservation = context_.budget.TryReserve(length);
    if (!reservation) break;  // budget used up: reads beyond the parts go direct
    auto part = std::make_shared<Part>(from, length, std::move(reservation));
    parts_.push_back(part);
    to_submit.push_back(std::move(part));
    from += length;
  }
}

void PrefetchReader::LimitReadAhead(uint64_t end) {
  MutexLock lock(mu_);
  read_ahead_end_ = end;
}

void PrefetchReader::CancelAllLocked() {
  for (auto& part : parts_) part->Cancel();
  parts_.clear();
}

Result<PrefetchReader::Collected> PrefetchReader::CollectFromParts(
    uint64_t offset, uint64_t end, const PartList& covering, const swift::ReadControl& control) {
  Collected collected;
  uint64_t pos = offset;
  for (const auto& part : covering) {
    if (part->offset() > pos) break;  // a gap: the rest is read directly
    // A part no pool thread has started yet is fetched here, on the reader's own thread,
    // instead of waiting behind the parts of other files in the shared FIFO queue: a
    // stalled object cannot hold up the reads of others. (The pool's task for it then
    // finds it started and does nothing.)
    if (!swift::Cancelled(control))
      part->Fetch(context_.client, *version_, context_.buffers, control);
    Part::State state = part->Wait(control.cancel);
    if (swift::Cancelled(control)) {
      return MakeError(ErrorCode::kCancelled,
                       "read of " + version_->container + "/" + version_->name + " interrupted");
    }
    if (state == Part::State::kFailed) {
      // The object changed: a direct read would only see the new version, never serve it.
      // A part that ran out of its deadline already spent the operation's time on retries:
      // a direct read of the same bytes would make the caller wait a second deadline.
      const ErrorCode code = part->error().code;
      if (code == ErrorCode::kPreconditionFailed || code == ErrorCode::kTimeout) {
        return part->error();
      }
      break;
    }
    if (state != Part::State::kDone) break;  // cancelled by a concurrent seek
    std::span<const char> data = part->data();
    const uint64_t skip = pos - part->offset();
    // A part holds all of its range (Part::Fetch reads exactly), so a part with less is
    // never the end of the file: the rest is read directly.
    if (skip >= data.size()) break;
    const size_t n = std::min<uint64_t>(end - pos, data.size() - skip);
    collected.pieces.push_back(data.subspan(skip, n));
    pos += n;
    if (pos == end || data.size() < part->length()) break;
  }
  collected.bytes = pos - offset;
  collected.at_end = pos >= version_->size;
  return collected;
}

}  // namespace swiftfs::cache
