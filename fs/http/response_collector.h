#pragma once
// ResponseCollector: receives one transfer's response through libcurl's header and write
// callbacks. Header lines are parsed as they come: a status line starts a new response
// (so the headers of a "100 Continue" or any other interim response are dropped), names
// keep their case but are matched case-insensitively by Headers, values are trimmed and
// obsolete folded continuation lines are joined to the previous value. The body goes to
// the request's sink (Begin() once, then Write()) or into a string.
//
// The libcurl callbacks are noexcept: a throwing sink or a failed allocation is recorded
// and stops the transfer (libcurl then reports CURLE_WRITE_ERROR), never unwinds into C.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "swiftfs/http/http_client.h"

namespace swiftfs::http {

class ResponseCollector {
 public:
  // Why a callback stopped the transfer.
  enum class Abort {
    kNone,
    kSinkRefused,
    kSinkOverflowed,
    kSinkThrew,
    kOutOfMemory,
    kBodyTooLarge,     // a collected body passed max_body_bytes
    kHeadersTooLarge,  // header lines passed max_header_bytes
  };

  // `sink` may be null (body collected in memory, at most `max_body_bytes`). Not owned;
  // must outlive the collector.
  explicit ResponseCollector(BodySink* sink, uint64_t max_body_bytes = UINT64_MAX,
                             size_t max_header_bytes = SIZE_MAX)
      : sink_(sink), max_body_bytes_(max_body_bytes), max_header_bytes_(max_header_bytes) {}
  ResponseCollector(const ResponseCollector&) = delete;
  ResponseCollector& operator=(const ResponseCollector&) = delete;

  // CURLOPT_HEADERFUNCTION / CURLOPT_WRITEFUNCTION; `userdata` is the collector.
  static size_t HeaderCallback(char* data, size_t size, size_t count, void* userdata) noexcept;
  static size_t WriteCallback(char* data, size_t size, size_t count, void* userdata) noexcept;

  // What the callbacks do, callable directly (tests). A header line includes its CRLF.
  // Return false to stop the transfer; abort_reason() then says why.
  bool OnHeaderLine(std::string_view line) noexcept;
  bool OnBodyData(std::span<const char> data) noexcept;

  // After a successful transfer: gives the sink its Begin() if no body byte arrived (empty
  // body, HEAD, 204). False if the sink threw.
  bool Finish() noexcept;

  int status() const { return status_; }
  const Headers& headers() const { return headers_; }
  uint64_t body_bytes() const { return body_bytes_; }
  Abort abort_reason() const { return abort_; }
  // Content-Length of the final response, when present and well-formed.
  std::optional<uint64_t> content_length() const;

  Headers TakeHeaders() { return std::move(headers_); }
  std::string TakeBody() { return std::move(body_); }

 private:
  void StartResponse(std::string_view status_line);
  void AddHeader(std::string_view line);
  void FlushPendingField();
  bool BeginSinkOnce() noexcept;

  BodySink* const sink_;
  const uint64_t max_body_bytes_;
  const size_t max_header_bytes_;
  size_t header_bytes_ = 0;
  int status_ = 0;
  Headers headers_;
  // The last field seen, held back until the next line shows it is not folded further.
  std::optional<std::pair<std::string, std::string>> pending_field_;
  std::string body_;
  uint64_t body_bytes_ = 0;
  bool sink_begun_ = false;
  Abort abort_ = Abort::kNone;
};

}  // namespace swiftfs::http
