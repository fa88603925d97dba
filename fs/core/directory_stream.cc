#include "core/directory_stream.h"

#include <utility>

namespace swiftfs::core {

DirectoryStream::DirectoryStream(ListingFetcher& fetcher, ListingChunk first, ListFromStart restart,
                                 size_t next_chunk_entries)
    : fetcher_(fetcher),
      restart_(std::move(restart)),
      next_chunk_entries_(next_chunk_entries),
      chunk_(std::move(first.listing)),
      rest_(std::move(first.rest)) {}

Result<const ListingEntry*> DirectoryStream::At(uint64_t index) {
  if (index < chunk_first_) {
    if (Status restarted = Restart(); !restarted) return std::move(restarted).error();
  }
  while (index - chunk_first_ >= chunk_->size()) {
    if (!rest_) return nullptr;
    // The cursor is copied in: a failed request leaves the stream where it was.
    const size_t entries = next_chunk_entries_ ? next_chunk_entries_ : fetcher_.page_limit();
    auto next = fetcher_.NextChunk(*rest_, entries);
    if (!next) return std::move(next).error();
    chunk_first_ += chunk_->size();
    chunk_ = std::move(next->listing);  // frees the previous chunk
    rest_ = std::move(next->rest);
  }
  return &chunk_->entries()[index - chunk_first_];
}

Status DirectoryStream::Restart() {
  auto first = restart_();
  if (!first) return std::move(first).error();
  chunk_ = std::move(first->listing);
  chunk_first_ = 0;
  rest_ = std::move(first->rest);
  return OkStatus();
}

size_t DirectoryStream::held_entries() const {
  size_t held = chunk_->size();
  if (rest_) held += rest_->fetched.size() + rest_->held_back.size();
  return held;
}

}  // namespace swiftfs::core
