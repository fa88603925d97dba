#include "cache/prefetch/prefetch_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace swiftfs::cache {

PrefetchReader::PrefetchReader(const ObjectVersion& version, PrefetchContext& context)
    : version_(std::make_shared<const ObjectVersion>(version)),
      context_(context),
      window_(context.options.window_min) {
  context_.buffers.AddUser();
}

PrefetchReader::~PrefetchReader() {
  {
    MutexLock lock(mu_);
    CancelAllLocked();
  }
  context_.buffers.RemoveUser();
}

Result<size_t> PrefetchReader::Read(uint64_t offset, std::span<char> buffer) {
  if (offset >= version_->size || buffer.empty()) return size_t{0};
  buffer = buffer.first(std::min<uint64_t>(buffer.size(), version_->size - offset));
  const PartList covering = PlanAndSubmit(offset, offset + buffer.size());
  auto collected = CollectFromParts(offset, offset + buffer.size(), covering);
  if (!collected) return std::move(collected).error();
  return CompleteInto(offset, buffer, *collected);
}

Result<ReadView> PrefetchReader::ReadInPlace(uint64_t offset, size_t size) {
  if (offset >= version_->size || size == 0) return ReadView{};
  size = std::min<uint64_t>(size, version_->size - offset);
  PartList covering = PlanAndSubmit(offset, offset + size);
  auto collected = CollectFromParts(offset, offset + size, covering);
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
  auto n = CompleteInto(offset, std::span<char>(buffer.get(), size), *collected);
  if (!n) return std::move(n).error();
  if (*n > 0) view.pieces.emplace_back(buffer.get(), *n);
  view.owner = std::move(buffer);
  return view;
}

PrefetchReader::PartList PrefetchReader::PlanAndSubmit(uint64_t offset, uint64_t end) {
  PartList to_submit;
  PartList covering = Plan(offset, end, to_submit);
  for (auto& part : to_submit) {
    context_.pool.Submit([part, version = version_, &context = context_] {
      part->Fetch(context.client, *version, context.buffers);
    });
  }
  return covering;
}

Result<size_t> PrefetchReader::CompleteInto(uint64_t offset, std::span<char> buffer,
                                            const Collected& collected) {
  size_t done = 0;
  for (std::span<const char> piece : collected.pieces) {
    std::memcpy(buffer.data() + done, piece.data(), piece.size());
    done += piece.size();
  }
  if (done > 0) context_.counters.Add(Counter::kPrefetchHits);
  if (done < buffer.size() && !collected.at_end) {
    // Not covered by a part (random access, no memory budget left, a gap) or a part failed
    // transiently: one exact-size GET straight into the caller's buffer.
    Result<swift::ReadResult> direct = context_.client.GetRange(
        version_->container, version_->name, offset + done, buffer.subspan(done), version_->etag);
    if (!direct) return std::move(direct).error();
    done += direct->bytes;
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
  const uint64_t target = std::min(version_->size, end + window_);
  while (from < target) {
    uint64_t length = std::min({options.part_size, window_, version_->size - from});
    MemoryBudget::Reservation reservation = context_.budget.TryReserve(length);
    if (!reservation) break;  // budget used up: reads beyond the parts go direct
    auto part = std::make_shared<Part>(from, length, std::move(reservation));
    parts_.push_back(part);
    to_submit.push_back(std::move(part));
    from += length;
  }
}

void PrefetchReader::CancelAllLocked() {
  for (auto& part : parts_) part->Cancel();
  parts_.clear();
}

Result<PrefetchReader::Collected> PrefetchReader::CollectFromParts(uint64_t offset, uint64_t end,
                                                                   const PartList& covering) {
  Collected collected;
  uint64_t pos = offset;
  for (const auto& part : covering) {
    if (part->offset() > pos) break;  // a gap: the rest is read directly
    Part::State state = part->Wait();
    if (state == Part::State::kFailed) {
      // The object changed: a direct read would only see the new version, never serve it.
      if (part->error().code == ErrorCode::kPreconditionFailed) return part->error();
      break;
    }
    if (state != Part::State::kDone) break;  // cancelled by a concurrent seek
    std::span<const char> data = part->data();
    const uint64_t skip = pos - part->offset();
    if (skip >= data.size()) {
      collected.at_end = true;
      break;
    }
    const size_t n = std::min<uint64_t>(end - pos, data.size() - skip);
    collected.pieces.push_back(data.subspan(skip, n));
    pos += n;
    if (pos == end) break;
    if (data.size() < part->length()) {
      collected.at_end = true;  // the object ended inside this part
      break;
    }
  }
  collected.bytes = pos - offset;
  return collected;
}

}  // namespace swiftfs::cache
