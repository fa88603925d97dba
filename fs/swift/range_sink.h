#pragma once
// RangeSink: receives the body of one ranged GET straight into the caller's buffer.
//
// Swift answers a Range request in one of three useful ways, and the sink decides which
// on Begin(), once per attempt (the AuthenticatedSender may resend after a 401):
//   206 Partial Content: the body is exactly the slice; it is written at buffer[0...].
//   200 OK: the server ignored the range (a DLO whose listing spans several pages, or a
//       server without range support) and sends the whole object; the sink skips
//       `offset` bytes, copies the slice, and aborts the transfer once the buffer is full
//       so we do not download the rest of a large object for nothing.
//   anything else: an error; up to 1 KiB of the body is kept for the error message.
// What arrived is kept even when the transfer then fails (a reset mid-body): the caller
// resumes from there. object_size() is the object's total size as the reply told it.
// It also refuses the body of a 200/206 whose ETag differs from the one the caller
// expects, in case a server ignored If-Match.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "swiftfs/common/counters.h"
#include "swiftfs/http/http_client.h"

namespace swiftfs::swift {

class RangeSink final : public http::BodySink {
 public:
  enum class State {
    kIdle,          // no response yet
    kSlice,         // 206: writing the slice as it comes
    kWholeBody,     // 200: skipping to `offset`, then copying
    kFilled,        // 200: the buffer is full, the transfer was aborted on purpose
    kErrorBody,     // non-2xx: collecting the error text
    kOverflow,      // 206 sent more bytes than the buffer holds
    kWrongRange,    // 206 with a Content-Range not starting at `offset`
    kEtagMismatch,  // 200/206 of a version other than `expected_etag`
  };

  // `expected_etag` without quotes; empty to accept any version.
  RangeSink(std::span<char> buffer, uint64_t offset, std::string expected_etag, Counters& counters);

  void Begin(int status, const http::Headers& headers) override;
  bool Write(std::span<const char> data) override;

  State state() const { return state_; }
  int status() const { return status_; }
  const http::Headers& headers() const { return headers_; }
  // Bytes of object data placed in the buffer.
  size_t bytes() const { return used_; }
  // For a 206 with a parsable Content-Range: how many bytes the body should hold.
  std::optional<uint64_t> expected_slice_bytes() const { return expected_slice_; }
  // The object's size: Content-Range "/total" of a 206 or 416, Content-Length of a 200.
  std::optional<uint64_t> object_size() const { return object_size_; }
  // Body bytes received in this attempt (for a 200: including those skipped).
  uint64_t body_received() const { return body_received_; }
  // True while the reply is object data (206 or 200 being copied or filled).
  bool receiving_data() const {
    return state_ == State::kSlice || state_ == State::kWholeBody || state_ == State::kFilled;
  }
  // The Content-Range or ETag that made the reply unusable, for the error message.
  const std::string& detail() const { return detail_; }
  const std::string& error_body() const { return error_body_; }

 private:
  bool WriteWholeBody(std::span<const char> data);

  std::span<char> buffer_;
  const uint64_t offset_;
  const std::string expected_etag_;
  Counters& counters_;

  State state_ = State::kIdle;
  int status_ = 0;
  http::Headers headers_;
  size_t used_ = 0;
  uint64_t to_skip_ = 0;
  std::optional<uint64_t> expected_slice_;
  std::optional<uint64_t> object_size_;
  uint64_t body_received_ = 0;
  std::string detail_;
  std::string error_body_;
};

// Parses "bytes <first>-<last>/<total|*>" into {first, last, total}; nullopt when malformed.
struct ContentRange {
  uint64_t first = 0;
  uint64_t last = 0;
  std::optional<uint64_t> total;  // nullopt for "*"
};
std::optional<ContentRange> ParseContentRange(std::string_view value);
// The total of an unsatisfied range, "bytes */<total>" (a 416's Content-Range).
std::optional<uint64_t> ParseUnsatisfiedRangeTotal(std::string_view value);

}  // namespace swiftfs::swift
