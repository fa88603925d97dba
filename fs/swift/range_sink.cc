#include "swift/range_sink.h"

#include <algorithm>

#include "swift/header_parser.h"
#include "swiftfs/common/strings.h"

namespace swiftfs::swift {

namespace {
constexpr size_t kMaxErrorBody = 1024;
}  // namespace

std::optional<ContentRange> ParseContentRange(std::string_view value) {
  value = TrimWhitespace(value);
  if (!StartsWith(value, "bytes ")) return std::nullopt;
  value.remove_prefix(6);
  const size_t dash = value.find('-');
  const size_t slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return std::nullopt;
  }
  const auto first = ParseUint64(value.substr(0, dash));
  const auto last = ParseUint64(value.substr(dash + 1, slash - dash - 1));
  if (!first || !last || *last < *first) return std::nullopt;
  const std::string_view total_text = value.substr(slash + 1);
  if (total_text == "*") return ContentRange{*first, *last, std::nullopt};
  // A total that is not a number past `last` is not believed; the range itself still is.
  const auto total = ParseUint64(total_text);
  if (!total || *total <= *last) return ContentRange{*first, *last, std::nullopt};
  return ContentRange{*first, *last, *total};
}

std::optional<uint64_t> ParseUnsatisfiedRangeTotal(std::string_view value) {
  value = TrimWhitespace(value);
  if (!StartsWith(value, "bytes */")) return std::nullopt;
  return ParseUint64(value.substr(8));
}

RangeSink::RangeSink(std::span<char> buffer, uint64_t offset, std::string expected_etag,
                     Counters& counters)
    : buffer_(buffer),
      offset_(offset),
      expected_etag_(std::move(expected_etag)),
      counters_(counters) {}

void RangeSink::Begin(int status, const http::Headers& headers) {
  // A new attempt starts from scratch: the buffer is rewritten from its start.
  status_ = status;
  headers_ = headers;
  used_ = 0;
  to_skip_ = 0;
  expected_slice_.reset();
  object_size_.reset();
  body_received_ = 0;
  detail_.clear();
  error_body_.clear();

  if (status != 200 && status != 206) {
    if (const auto range = headers.Get("Content-Range"); range && status == 416) {
      object_size_ = ParseUnsatisfiedRangeTotal(*range);
    }
    state_ = State::kErrorBody;
    return;
  }
  if (!expected_etag_.empty()) {
    const auto etag = headers.Get("ETag");
    if (etag && StripEtagQuotes(*etag) != expected_etag_) {
      state_ = State::kEtagMismatch;
      detail_ = "ETag " + StripEtagQuotes(*etag) + ", expected " + expected_etag_;
      return;
    }
  }
  if (status == 200) {
    state_ = State::kWholeBody;
    to_skip_ = offset_;
    if (const auto length = headers.Get("Content-Length")) object_size_ = ParseUint64(*length);
    return;
  }
  state_ = State::kSlice;
  if (const auto range = headers.Get("Content-Range")) {
    const auto parsed = ParseContentRange(*range);
    if (parsed && parsed->first != offset_) {
      state_ = State::kWrongRange;
      detail_ = "Content-Range '" + *range + "' for offset " + std::to_string(offset_);
      return;
    }
    if (parsed) {
      expected_slice_ = parsed->last - parsed->first + 1;
      object_size_ = parsed->total;
    }
  }
}

bool RangeSink::Write(std::span<const char> data) {
  switch (state_) {
    case State::kSlice: {
      counters_.Add(Counter::kBytesFetched, data.size());
      body_received_ += data.size();
      if (data.size() > buffer_.size() - used_) {
        state_ = State::kOverflow;
        return false;
      }
      std::copy(data.begin(), data.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(used_));
      used_ += data.size();
      return true;
    }
    case State::kWholeBody:
      counters_.Add(Counter::kBytesFetched, data.size());
      body_received_ += data.size();
      return WriteWholeBody(data);
    case State::kErrorBody: {
      const size_t room = kMaxErrorBody - std::min(kMaxErrorBody, error_body_.size());
      error_body_.append(data.data(), std::min(room, data.size()));
      return true;
    }
    case State::kIdle:
    case State::kFilled:
    case State::kOverflow:
    case State::kWrongRange:
    case State::kEtagMismatch:
      return false;
  }
  return false;
}

bool RangeSink::WriteWholeBody(std::span<const char> data) {
  const uint64_t skipped = std::min<uint64_t>(to_skip_, data.size());
  to_skip_ -= skipped;
  data = data.subspan(static_cast<size_t>(skipped));
  const size_t n = std::min(data.size(), buffer_.size() - used_);
  std::copy_n(data.begin(), n, buffer_.begin() + static_cast<std::ptrdiff_t>(used_));
  used_ += n;
  if (used_ == buffer_.size()) {
    // Everything we asked for is here; stop the download of the rest of the object.
    state_ = State::kFilled;
    return false;
  }
  return true;
}

}  // namespace swiftfs::swift
