#pragma once
// A fake Swift object server for ranged-read tests: answers a GET of kData's Range the way
// Swift does, or with one of the faults a cache, proxy or flaky network produces.

#include <algorithm>
#include <cstdint>
#include <string>

#include "support/fake_http_client.h"

namespace swiftfs::swift {

// 5000 bytes that differ at every offset modulo 251.
inline std::string MakeObject() {
  std::string data(5000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i % 251);
  return data;
}
inline const std::string kData = MakeObject();

struct Range {
  uint64_t first = 0;
  uint64_t last = 0;
};

inline Range RangeOf(const http::Request& request) {
  const std::string range = request.headers.Get("Range").value_or("");
  const size_t eq = range.find('='), dash = range.find('-');
  return {std::stoull(range.substr(eq + 1, dash - eq - 1)), std::stoull(range.substr(dash + 1))};
}

// What the server does with one request: `send` is the number of slice bytes it sends
// (capped at the range), `cut` ends the body with a reset instead of a clean end.
struct Fault {
  enum Kind { kNone, kShort206, kShortBody200, kReset206, kIgnoreRange, kServerError } kind;
  size_t send = 0;
};

inline http::Response Answer(const http::Request& request, Fault fault) {
  Range r = RangeOf(request);
  r.last = std::min<uint64_t>(r.last, kData.size() - 1);
  const std::string total = "/" + std::to_string(kData.size());
  auto slice = [&](size_t n) {
    return kData.substr(r.first, std::min<size_t>(n, r.last - r.first + 1));
  };
  switch (fault.kind) {
    case Fault::kShort206: {  // a valid 206 announcing (and sending) less than asked
      const std::string body = slice(fault.send);
      return testing::Reply(
          206, body,
          {{"Content-Range", "bytes " + std::to_string(r.first) + "-" +
                                 std::to_string(r.first + body.size() - 1) + total}});
    }
    case Fault::kShortBody200:  // whole object announced, connection closed early
      return testing::Reply(200, kData.substr(0, r.first + fault.send),
                            {{"Content-Length", std::to_string(kData.size())}});
    case Fault::kReset206:
      return testing::Reply(206, slice(fault.send),
                            {{"Content-Range", "bytes " + std::to_string(r.first) + "-" +
                                                   std::to_string(r.last) + total},
                             {testing::kCutOffHeader, "1"}});
    case Fault::kIgnoreRange:
      return testing::Reply(200, kData, {{"Content-Length", std::to_string(kData.size())}});
    case Fault::kServerError:
      return testing::Reply(503, "busy");
    case Fault::kNone:
      break;
  }
  return testing::Reply(206, slice(SIZE_MAX),
                        {{"Content-Range", "bytes " + std::to_string(r.first) + "-" +
                                               std::to_string(r.last) + total}});
}

}  // namespace swiftfs::swift
