#include "response_collector.h"

#include <algorithm>
#include <charconv>
#include <new>

#include "swiftfs/common/strings.h"

namespace swiftfs::http {

namespace {

// Reserve at most this much up front from an announced Content-Length: a wrong or hostile
// header must not make us allocate gigabytes before a byte arrives.
constexpr uint64_t kMaxReserveBytes = 256ull * 1024 * 1024;

bool IsFoldedContinuation(std::string_view line) {
  return !line.empty() && (line.front() == ' ' || line.front() == '\t');
}

}  // namespace

size_t ResponseCollector::HeaderCallback(char* data, size_t size, size_t count,
                                         void* userdata) noexcept {
  auto* self = static_cast<ResponseCollector*>(userdata);
  const size_t bytes = size * count;
  return self->OnHeaderLine(std::string_view(data, bytes)) ? bytes : 0;
}

size_t ResponseCollector::WriteCallback(char* data, size_t size, size_t count,
                                        void* userdata) noexcept {
  auto* self = static_cast<ResponseCollector*>(userdata);
  const size_t bytes = size * count;
  return self->OnBodyData(std::span<const char>(data, bytes)) ? bytes : 0;
}

bool ResponseCollector::OnHeaderLine(std::string_view line) noexcept {
  header_bytes_ += line.size();
  if (header_bytes_ > max_header_bytes_) {
    abort_ = Abort::kHeadersTooLarge;
    return false;
  }
  try {
    if (StartsWith(line, "HTTP/")) {
      StartResponse(line);
    } else if (IsFoldedContinuation(line) && pending_field_) {
      const std::string_view more = TrimWhitespace(line);
      if (!more.empty()) {
        std::string& value = pending_field_->second;
        if (!value.empty()) value.push_back(' ');
        value.append(more);
      }
    } else if (TrimWhitespace(line).empty()) {
      FlushPendingField();  // end of this response's header block
    } else {
      AddHeader(line);
    }
    return true;
  } catch (const std::bad_alloc&) {
    abort_ = Abort::kOutOfMemory;
    return false;
  }
}

void ResponseCollector::StartResponse(std::string_view status_line) {
  headers_ = Headers();
  pending_field_.reset();
  status_ = 0;
  // "HTTP/1.1 206 Partial Content": the code follows the first space.
  const size_t space = status_line.find(' ');
  if (space == std::string_view::npos) return;
  const std::string_view rest = status_line.substr(space + 1);
  int code = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), code);
  if (ec == std::errc() && end - rest.data() == 3) status_ = code;
}

void ResponseCollector::AddHeader(std::string_view line) {
  FlushPendingField();
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;  // not a field: ignore
  pending_field_.emplace(std::string(TrimWhitespace(line.substr(0, colon))),
                         std::string(TrimWhitespace(line.substr(colon + 1))));
}

void ResponseCollector::FlushPendingField() {
  if (!pending_field_) return;
  headers_.Add(std::move(pending_field_->first), std::move(pending_field_->second));
  pending_field_.reset();
}

bool ResponseCollector::BeginSinkOnce() noexcept {
  if (sink_ == nullptr || sink_begun_) return true;
  sink_begun_ = true;
  try {
    FlushPendingField();
    sink_->Begin(status_, headers_);
    return true;
  } catch (...) {
    abort_ = Abort::kSinkThrew;
    return false;
  }
}

bool ResponseCollector::OnBodyData(std::span<const char> data) noexcept {
  if (!BeginSinkOnce()) return false;
  if (sink_ != nullptr) {
    try {
      if (!sink_->Write(data)) {
        abort_ = sink_->overflowed() ? Abort::kSinkOverflowed : Abort::kSinkRefused;
        return false;
      }
    } catch (...) {
      abort_ = Abort::kSinkThrew;
      return false;
    }
  } else {
    if (data.size() > max_body_bytes_ - std::min(max_body_bytes_, body_bytes_)) {
      abort_ = Abort::kBodyTooLarge;
      return false;
    }
    try {
      if (body_.empty()) {
        if (auto length = content_length()) {
          body_.reserve(
              static_cast<size_t>(std::min({*length, kMaxReserveBytes, max_body_bytes_})));
        }
      }
      body_.append(data.data(), data.size());
    } catch (const std::bad_alloc&) {
      abort_ = Abort::kOutOfMemory;
      return false;
    }
  }
  body_bytes_ += data.size();
  return true;
}

bool ResponseCollector::Finish() noexcept {
  try {
    FlushPendingField();
  } catch (const std::bad_alloc&) {
    abort_ = Abort::kOutOfMemory;
    return false;
  }
  return BeginSinkOnce();
}

std::optional<uint64_t> ResponseCollector::content_length() const {
  const std::optional<std::string> field = headers_.Get("Content-Length");
  if (!field || field->empty()) return std::nullopt;
  uint64_t length = 0;
  const char* end = field->data() + field->size();
  const auto [ptr, ec] = std::from_chars(field->data(), end, length);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return length;
}

}  // namespace swiftfs::http
