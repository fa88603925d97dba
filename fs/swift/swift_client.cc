// SwiftClient: each method builds one request, sends it through the AuthenticatedSender
// and turns the reply into a value or an Error. URL encoding lives in swift_urls.cc,
// header and JSON parsing in header_parser.cc / listing_parser.cc, the status table in
// swift_errors.cc and the ranged-read body handling in range_sink.cc, so this file is
// only the protocol: which request, which statuses mean what.

#include "swiftfs/swift/swift_client.h"

#include <limits>

#include "swift/header_parser.h"
#include "swift/listing_parser.h"
#include "swift/range_sink.h"
#include "swift/swift_errors.h"
#include "swift/swift_urls.h"

namespace swiftfs::swift {

namespace {

// A 412 names the version asked for and the one the object now has (Swift sends its ETag
// with the 412). For a large-object manifest it also says where the right ETag comes from,
// since a listing's hash of a DLO never matches (see listing_parser.h).
Error PreconditionFailed(const std::string& target, const std::string& if_match,
                         const http::Headers& headers) {
  std::string message = "GET " + target + ": object changed since it was opened (412";
  if (const auto etag = headers.Get("ETag")) {
    message += ": ETag now " + StripEtagQuotes(*etag) + ", expected " + if_match;
  }
  message += ")";
  if (headers.Has("X-Object-Manifest") || headers.Has("X-Static-Large-Object")) {
    message += "; for a large object, If-Match must use the ETag from HEAD";
  }
  return MakeError(ErrorCode::kPreconditionFailed, std::move(message), 412, target);
}

// What the sink placed in the buffer, and the object's size as the reply told it.
ReadResult Received(const RangeSink& sink, bool complete) {
  ReadResult result;
  result.bytes = sink.bytes();
  result.object_size = sink.object_size();
  result.complete = complete;
  return result;
}

// `result` with the object headers of the reply the sink received. A 206's Content-Length
// is the slice's, so the size is the total the sink read from Content-Range. Headers that
// do not parse leave `info` empty: the bytes are good, only the stand-in HEAD is lost.
ReadResult WithReplyInfo(ReadResult result, const std::string& name, const RangeSink& sink) {
  auto info = ParseObjectHeaders(name, sink.headers());
  if (info && sink.object_size()) {
    info->name = name;
    info->size = *sink.object_size();
    result.info = std::move(*info);
  }
  return result;
}

}  // namespace

SwiftClient::SwiftClient(http::HttpClient& http, auth::TokenProvider& tokens, Counters& counters,
                         Logger& logger, SwiftClientOptions options)
    : http_(http),
      tokens_(tokens),
      sender_(http, tokens, logger),
      counters_(counters),
      logger_(logger),
      options_(options) {}

Result<http::Response> SwiftClient::SendMetadata(http::Method method, Counter counter,
                                                 std::string_view target, const UrlFor& url) {
  auto response = sender_.Send([&](const auth::Session& session) {
    counters_.Add(counter);
    http::Request request;
    request.method = method;
    request.url = url(session);
    request.timeout = options_.metadata_timeout;
    return request;
  });
  if (!response) return WithTarget(std::move(response).error(), target);
  if (logger_.Enabled(LogLevel::kDebug)) {
    std::string line(http::MethodName(method));
    line += ' ';
    line += target.empty() ? std::string_view("account") : target;
    logger_.Debug(line + " -> " + std::to_string(response->status));
  }
  return response;
}

Result<ClusterInfo> SwiftClient::GetClusterInfo() {
  auto session = tokens_.Current();
  if (!session) return std::move(session).error();
  const auto url = InfoUrl(session->storage_url);
  if (!url) {
    logger_.Debug("no /info URL for this storage URL; using default cluster limits");
    return ClusterInfo{};
  }
  counters_.Add(Counter::kOtherRequests);
  http::Request request;
  request.url = *url;
  request.timeout = options_.metadata_timeout;
  auto response = http_.Send(request);  // /info is public: no token to send
  if (!response) {
    logger_.Debug("GET /info failed (" + response.error().ToString() + "); using defaults");
    return ClusterInfo{};
  }
  if (response->status != 200) {
    logger_.Debug("GET /info answered " + std::to_string(response->status) +
                  "; using default cluster limits");
    return ClusterInfo{};
  }
  auto info = ParseClusterInfo(response->body);
  if (!info) {
    logger_.Debug(info.error().message + "; using default cluster limits");
    return ClusterInfo{};
  }
  return info;
}

Result<AccountInfo> SwiftClient::HeadAccount() {
  auto response = SendMetadata(http::Method::kHead, Counter::kHeadRequests, "",
                               [](const auth::Session& s) { return s.storage_url; });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) return ErrorFromResponse(http::Method::kHead, "", *response);
  return ParseAccountHeaders(response->headers);
}

Result<ContainerPage> SwiftClient::ListContainers(const std::string& marker, uint32_t limit) {
  QueryString query;
  query.Add("format", "json").Add("limit", std::to_string(limit));
  if (!marker.empty()) query.Add("marker", marker);
  auto response = SendMetadata(http::Method::kGet, Counter::kListRequests, "",
                               [&](const auth::Session& s) { return s.storage_url + query.str(); });
  if (!response) return std::move(response).error();
  if (response->status == 204) return ContainerPage{};
  if (response->status != 200) return ErrorFromResponse(http::Method::kGet, "", *response);
  return ParseContainerListing(response->body);
}

Result<ContainerEntry> SwiftClient::HeadContainer(const std::string& container) {
  auto response =
      SendMetadata(http::Method::kHead, Counter::kHeadRequests, container,
                   [&](const auth::Session& s) { return ContainerUrl(s.storage_url, container); });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) {
    return ErrorFromResponse(http::Method::kHead, container, *response);
  }
  return ParseContainerHeaders(container, response->headers);
}

Result<ListPage> SwiftClient::ListObjects(const ListRequest& request) {
  QueryString query;
  query.Add("format", "json").Add("limit", std::to_string(request.limit));
  if (!request.prefix.empty()) query.Add("prefix", request.prefix);
  if (request.delimiter) query.Add("delimiter", std::string(1, *request.delimiter));
  if (!request.marker.empty()) query.Add("marker", request.marker);
  if (!request.end_marker.empty()) query.Add("end_marker", request.end_marker);
  std::string storage_url;  // of the attempt that answered, to spot cross-account symlinks
  auto response = SendMetadata(
      http::Method::kGet, Counter::kListRequests, request.container, [&](const auth::Session& s) {
        storage_url = s.storage_url;
        return ContainerUrl(s.storage_url, request.container) + query.str();
      });
  if (!response) return std::move(response).error();
  // Past the end Swift answers "[]" in JSON; a 204 (plain-text habit) is empty as well.
  if (response->status == 204) return ListPage{};
  if (response->status != 200) {
    return ErrorFromResponse(http::Method::kGet, request.container, *response);
  }
  return ParseObjectListing(response->body, request.container, AccountOfStorageUrl(storage_url));
}

Result<ObjectInfo> SwiftClient::HeadObject(const std::string& container, const std::string& name) {
  const std::string target = Target(container, name);
  // Without symlink=get Swift follows a symlink and describes its target; the filesystem
  // shows the link itself and resolves it on its own.
  auto response = SendMetadata(http::Method::kHead, Counter::kHeadRequests, target,
                               [&](const auth::Session& s) {
                                 return ObjectUrl(s.storage_url, container, name) +
                                        QueryString().Add("symlink", "get").str();
                               });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) {
    return ErrorFromResponse(http::Method::kHead, target, *response);
  }
  auto info = ParseObjectHeaders(target, response->headers);
  if (info) info->name = name;
  return info;
}

Result<ReadResult> SwiftClient::GetRange(const std::string& container, const std::string& name,
                                         uint64_t offset, std::span<char> buffer,
                                         const std::string& if_match) {
  return GetRange(container, name, offset, buffer, if_match, ReadControl{});
}

Result<ReadResult> SwiftClient::GetRange(const std::string& container, const std::string& name,
                                         uint64_t offset, std::span<char> buffer,
                                         const std::string& if_match, const ReadControl& control) {
  if (buffer.empty()) return ReadResult{};
  const std::string target = Target(container, name);
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  const uint64_t last = offset > kMax - (buffer.size() - 1) ? kMax : offset + buffer.size() - 1;

  RangeSink sink(buffer, offset, if_match, counters_);
  auto response = sender_.Send([&](const auth::Session& session) {
    counters_.Add(Counter::kGetRequests);
    http::Request request;
    request.method = http::Method::kGet;
    request.url = ObjectUrl(session.storage_url, container, name);
    request.headers.Set("Range", "bytes=" + std::to_string(offset) + "-" + std::to_string(last));
    if (!if_match.empty()) request.headers.Set("If-Match", "\"" + if_match + "\"");
    request.sink = &sink;
    request.timeout = control.timeout;
    request.cancel = control.cancel;
    return request;
  });

  if (logger_.Enabled(LogLevel::kDebug)) {
    logger_.Debug("GET " + target + " bytes=" + std::to_string(offset) + "-" +
                  std::to_string(last) + " -> " +
                  (response ? std::to_string(response->status) : response.error().ToString()) +
                  ", " + std::to_string(sink.bytes()) + " bytes");
  }
  // What arrived, and whether that is all of the range or the object ended inside it.
  auto arrived = [&]() -> ReadResult {
    ReadResult result = Received(sink, true);
    // A 200 that ended cleanly without a Content-Length: its body was the whole object.
    if (!result.object_size && response && response->status == 200) {
      result.object_size = sink.body_received();
    }
    result.complete = result.bytes == buffer.size() ||
                      (result.object_size && offset + result.bytes >= *result.object_size);
    return result;
  };
  // The sink's verdict comes first: it may have aborted the transfer on purpose.
  switch (sink.state()) {
    case RangeSink::State::kFilled:
      return WithReplyInfo(Received(sink, true), name, sink);
    case RangeSink::State::kEtagMismatch:
      return MakeError(
          ErrorCode::kPreconditionFailed,
          "GET " + target + ": object changed since it was opened (" + sink.detail() + ")",
          sink.status(), target);
    case RangeSink::State::kWrongRange:
      return BadResponse(http::Method::kGet, target, sink.detail(), sink.status());
    case RangeSink::State::kOverflow:
      return BadResponse(
          http::Method::kGet, target,
          "206 body longer than the " + std::to_string(buffer.size()) + " bytes asked for", 206);
    default:
      break;
  }
  if (!response) {
    const ErrorCode code = response.error().code;
    // Cut off mid-body (reset, early close, timeout): the bytes that arrived are good and the
    // caller resumes after them instead of fetching them again.
    if (sink.receiving_data() && sink.bytes() > 0 &&
        (code == ErrorCode::kConnectionFailed || code == ErrorCode::kTimeout)) {
      ReadResult partial = WithReplyInfo(Received(sink, false), name, sink);
      logger_.Debug("GET " + target + ": transfer cut off after " + std::to_string(sink.bytes()) +
                    " bytes: " + response.error().ToString());
      return partial;
    }
    return WithTarget(std::move(response).error(), target);
  }

  switch (response->status) {
    case 206:
      if (sink.expected_slice_bytes() && *sink.expected_slice_bytes() < sink.bytes()) {
        return BadResponse(http::Method::kGet, target,
                           "206 body of " + std::to_string(sink.bytes()) +
                               " bytes, Content-Range announced " +
                               std::to_string(*sink.expected_slice_bytes()),
                           206);
      }
      // May be short: a server may send less than the range asked for.
      return WithReplyInfo(arrived(), name, sink);
    case 200:  // whole body: short only when the object ends inside the range (or it was cut)
      return WithReplyInfo(arrived(), name, sink);
    case 416:  // at or past the end, and any range of a 0-byte object
      return Received(sink, true);
    case 412:
      return PreconditionFailed(target, if_match, response->headers);
    default:
      return ErrorFromStatus(http::Method::kGet, target, response->status, response->headers,
                             sink.error_body());
  }
}

}  // namespace swiftfs::swift
