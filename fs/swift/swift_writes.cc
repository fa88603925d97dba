// SwiftClient's write verbs: which request each one sends and what each answer means. The
// protocol notes (heartbeat replies, how Swift applies a copy's conditions, the fallback
// of a segment delete on a plain object) are in swift_client.h; the JSON documents are
// built and parsed in write_bodies.cc, statuses mapped in swift_errors.cc.

#include <string>

#include "swift/header_parser.h"
#include "swift/swift_errors.h"
#include "swift/swift_urls.h"
#include "swift/write_bodies.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/common/time_format.h"
#include "swiftfs/swift/swift_client.h"

namespace swiftfs::swift {

namespace {

using http::Method;

// Headers shared by the uploads: content type, user metadata, If-None-Match.
void AddWriteHeaders(const ObjectWrite& write, http::Headers& headers) {
  if (!write.content_type.empty()) headers.Set("Content-Type", write.content_type);
  for (const auto& [name, value] : write.metadata) headers.Add("X-Object-Meta-" + name, value);
  if (write.if_none_match) headers.Set("If-None-Match", "*");
}

WriteResult ResultFromHeaders(const http::Headers& headers) {
  WriteResult result;
  result.etag = StripEtagQuotes(headers.Get("ETag").value_or(""));
  if (const auto modified = headers.Get("Last-Modified")) {
    if (auto parsed = ParseHttpDate(*modified)) result.last_modified = *parsed;
  }
  return result;
}

// A 412 answering If-None-Match: * means the name is taken.
Error Exists(Method method, const std::string& target) {
  return MakeError(ErrorCode::kExists,
                   std::string(http::MethodName(method)) + " " + target +
                       ": 412 Precondition Failed: the name exists (If-None-Match)",
                   412, target);
}

// Collects a GET ?multipart-manifest=get reply only when it is a manifest: the "manifest"
// of a plain object is its data, which must not be downloaded to learn that.
class ManifestSink final : public http::BodySink {
 public:
  explicit ManifestSink(uint64_t cap) : cap_(cap) {}
  void Begin(int status, const http::Headers& headers) override {
    status_ = status;
    body_.clear();
    is_slo_ =
        EqualsIgnoreCase(TrimWhitespace(headers.Get("X-Static-Large-Object").value_or("")), "true");
  }
  bool Write(std::span<const char> data) override {
    if (status_ == 200 && !is_slo_) return false;  // abort: not a manifest
    if (body_.size() + data.size() > cap_) {
      overflowed_ = true;
      return false;
    }
    body_.append(data.data(), data.size());
    return true;
  }
  bool overflowed() const override { return overflowed_; }
  bool not_slo() const { return status_ == 200 && !is_slo_; }
  const std::string& body() const { return body_; }

 private:
  const uint64_t cap_;
  int status_ = 0;
  bool is_slo_ = false;
  bool overflowed_ = false;
  std::string body_;
};

}  // namespace

Result<http::Response> SwiftClient::SendWrite(Method method, Counter counter,
                                              std::string_view target, uint64_t upload_bytes,
                                              const Build& build) {
  auto response = sender_.Send([&](const auth::Session& session) {
    counters_.Add(counter);
    if (upload_bytes > 0) counters_.Add(Counter::kBytesUploaded, upload_bytes);
    http::Request request;
    request.method = method;
    request.timeout = options_.metadata_timeout;
    build(request, session);
    return request;
  });
  if (!response) return WithTarget(std::move(response).error(), target);
  if (logger_.Enabled(LogLevel::kDebug)) {
    logger_.Debug(std::string(http::MethodName(method)) + " " + std::string(target) + " -> " +
                  std::to_string(response->status));
  }
  return response;
}

Result<WriteResult> SwiftClient::UploadObject(const ObjectWrite& write,
                                              std::span<const char> body) {
  const std::string target = Target(write.container, write.name);
  auto response = SendWrite(Method::kPut, Counter::kPutRequests, target, body.size(),
                            [&](http::Request& request, const auth::Session& session) {
                              request.url =
                                  ObjectUrl(session.storage_url, write.container, write.name);
                              AddWriteHeaders(write, request.headers);
                              if (!write.etag.empty()) request.headers.Set("ETag", write.etag);
                              request.body_view = body;
                              // A large body takes as long as it takes; the transport's
                              // low-speed abort catches a stalled one.
                              request.timeout = std::chrono::milliseconds{0};
                            });
  if (!response) return std::move(response).error();
  if (response->status == 412 && write.if_none_match) return Exists(Method::kPut, target);
  if (!IsSuccess(response->status)) return ErrorFromResponse(Method::kPut, target, *response);
  return ResultFromHeaders(response->headers);
}

Result<WriteResult> SwiftClient::UploadManifest(const ObjectWrite& write,
                                                const std::vector<SloSegment>& segments) {
  const std::string target = Target(write.container, write.name);
  Result<std::string> manifest = ManifestJson(segments);
  if (!manifest) return WithTarget(std::move(manifest).error(), target);
  auto response = SendWrite(
      Method::kPut, Counter::kPutRequests, target, 0,
      [&](http::Request& request, const auth::Session& session) {
        request.url = ObjectUrl(session.storage_url, write.container, write.name) +
                      QueryString().Add("multipart-manifest", "put").Add("heartbeat", "on").str();
        AddWriteHeaders(write, request.headers);
        if (!write.etag.empty()) request.headers.Set("ETag", write.etag);
        request.headers.Set("Accept", "application/json");
        request.body_view = std::span<const char>(manifest->data(), manifest->size());
        request.timeout = options_.manifest_timeout;
        request.slow_reply = true;
      });
  if (!response) return std::move(response).error();

  // With heartbeat=on Swift answers 202 before it has checked anything; the outcome is in
  // the body. Errors found before it started (401, 413 past the segment limit) come as
  // ordinary statuses.
  int status = response->status;
  std::string body = response->body;
  WriteResult result = ResultFromHeaders(response->headers);
  std::string errors;
  if (status == 202) {
    Result<BulkReply> reply = ParseBulkReply(response->body, target);
    if (!reply) return std::move(reply).error();
    status = reply->status;
    body = reply->response_body;
    errors = DescribeErrors(*reply);
    result.etag = reply->etag;
    result.last_modified = reply->last_modified;
  }
  if (status == 201) return result;
  if (status == 412 && write.if_none_match) return Exists(Method::kPut, target);
  if (status == 400) {
    if (errors.empty()) errors = SummarizeBody(body);
    return MakeError(ErrorCode::kInvalidArgument,
                     "PUT " + target + " manifest: 400 Bad Request: Swift refused it: " + errors,
                     400, target);
  }
  return ErrorFromStatus(Method::kPut, target, status, response->headers, body);
}

Result<std::vector<SloSegment>> SwiftClient::GetManifest(const std::string& container,
                                                         const std::string& name) {
  const std::string target = Target(container, name);
  // A manifest document is at most max_manifest_size (8 MiB by default); leave room.
  ManifestSink sink(64ull * 1024 * 1024);
  auto response = SendWrite(
      Method::kGet, Counter::kGetRequests, target, 0,
      [&](http::Request& request, const auth::Session& session) {
        request.url = ObjectUrl(session.storage_url, container, name) +
                      QueryString().Add("multipart-manifest", "get").Add("format", "raw").str();
        request.sink = &sink;
      });
  if (sink.not_slo()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "GET " + target + " manifest: not a static large object", 0, target);
  }
  if (!response) return std::move(response).error();
  if (response->status != 200) {
    return ErrorFromStatus(Method::kGet, target, response->status, response->headers, sink.body());
  }
  return ParseManifest(sink.body(), target);
}

Status SwiftClient::PlainDelete(const std::string& container, const std::string& name) {
  const std::string target = Target(container, name);
  auto response = SendWrite(Method::kDelete, Counter::kDeleteRequests, target, 0,
                            [&](http::Request& request, const auth::Session& session) {
                              request.url = ObjectUrl(session.storage_url, container, name);
                            });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) return ErrorFromResponse(Method::kDelete, target, *response);
  return OkStatus();
}

Status SwiftClient::DeleteObject(const std::string& container, const std::string& name,
                                 DeleteMode mode) {
  if (mode == DeleteMode::kObjectOnly) return PlainDelete(container, name);
  const std::string target = Target(container, name);
  auto response = SendWrite(Method::kDelete, Counter::kDeleteRequests, target, 0,
                            [&](http::Request& request, const auth::Session& session) {
                              request.url = ObjectUrl(session.storage_url, container, name) +
                                            QueryString().Add("multipart-manifest", "delete").str();
                              request.headers.Set("Accept", "application/json");
                              request.timeout = options_.manifest_timeout;
                              request.slow_reply = true;
                            });
  if (!response) return std::move(response).error();
  if (response->status != 200) return ErrorFromResponse(Method::kDelete, target, *response);
  Result<BulkReply> reply = ParseBulkReply(response->body, target);
  if (!reply) return std::move(reply).error();
  if (reply->errors.size() == 1 && reply->errors[0].second == "Not an SLO manifest") {
    return PlainDelete(container, name);  // Swift deleted nothing
  }
  if (IsSuccess(reply->status) && reply->errors.empty()) {
    // Swift lists the manifest itself as the one thing to delete when it is absent.
    if (reply->number_deleted == 0 && reply->number_not_found > 0) {
      return MakeError(ErrorCode::kNotFound, "DELETE " + target + ": 404 Not Found", 404, target);
    }
    return OkStatus();
  }
  // A segment that could not be deleted: the first reason's status says what kind of
  // failure it was (a 503 is retried; the retry deletes what is left).
  int status = reply->status;
  if (!reply->errors.empty()) {
    const std::string& reason = reply->errors[0].second;
    if (auto code = ParseUint64(reason.substr(0, reason.find(' ')));
        code && *code >= 400 && *code <= 599) {
      status = static_cast<int>(*code);
    }
  }
  Error error =
      ErrorFromStatus(Method::kDelete, target, status, response->headers, reply->response_body);
  error.message +=
      " (" + std::to_string(reply->number_deleted) + " deleted; " + DescribeErrors(*reply) + ")";
  return error;
}

Result<http::Response> SwiftClient::SendCopy(const std::string& source_container,
                                             const std::string& source_name,
                                             const ObjectWrite& destination,
                                             const std::string& if_match) {
  return SendWrite(
      Method::kPut, Counter::kCopyRequests, Target(destination.container, destination.name), 0,
      [&](http::Request& request, const auth::Session& session) {
        request.url = ObjectUrl(session.storage_url, destination.container, destination.name) +
                      QueryString().Add("multipart-manifest", "get").str();
        request.headers.Set("X-Copy-From", "/" + http::PercentEncode(source_container, false) +
                                               "/" + http::PercentEncode(source_name, true));
        if (!destination.content_type.empty()) {
          request.headers.Set("Content-Type", destination.content_type);
        }
        if (!destination.metadata.empty()) {
          request.headers.Set("X-Fresh-Metadata", "true");
          for (const auto& [name, value] : destination.metadata) {
            request.headers.Add("X-Object-Meta-" + name, value);
          }
        }
        if (!if_match.empty()) request.headers.Set("If-Match", "\"" + if_match + "\"");
        // Copying a large plain object moves all of its bytes inside Swift.
        request.timeout = std::chrono::milliseconds{0};
      });
}

Result<WriteResult> SwiftClient::CopyObject(const std::string& source_container,
                                            const std::string& source_name,
                                            const ObjectWrite& destination) {
  const std::string target = Target(destination.container, destination.name);
  const std::string source = Target(source_container, source_name);
  if (destination.if_none_match) {
    auto existing = HeadObject(destination.container, destination.name);
    if (existing) return Exists(Method::kPut, target);
    if (existing.error().code != ErrorCode::kNotFound) return std::move(existing).error();
  }
  auto response = SendCopy(source_container, source_name, destination, destination.etag);
  if (response && response->status == 412 && !destination.etag.empty()) {
    // For an SLO source Swift compared the manifest document's ETag: find it (see header).
    auto head =
        SendMetadata(Method::kHead, Counter::kHeadRequests, source, [&](const auth::Session& s) {
          return ObjectUrl(s.storage_url, source_container, source_name);
        });
    if (!head) return std::move(head).error();
    const auto manifest_etag = head->headers.Get("X-Manifest-Etag");
    const bool same_version =
        IsSuccess(head->status) && head->headers.Has("X-Static-Large-Object") && manifest_etag &&
        StripEtagQuotes(head->headers.Get("ETag").value_or("")) == destination.etag;
    if (!same_version) {
      return MakeError(ErrorCode::kPreconditionFailed,
                       "COPY " + source + " to " + target +
                           ": 412 Precondition Failed: the source changed (ETag is no longer " +
                           destination.etag + ")",
                       412, source);
    }
    response =
        SendCopy(source_container, source_name, destination, StripEtagQuotes(*manifest_etag));
  }
  if (!response) return std::move(response).error();
  if (response->status == 412) {
    return MakeError(ErrorCode::kPreconditionFailed,
                     "COPY " + source + " to " + target + ": 412 Precondition Failed", 412, source);
  }
  if (!IsSuccess(response->status)) {
    Error error = ErrorFromResponse(Method::kPut, target, *response);
    error.message += " (copy from " + source + ")";
    return error;
  }
  return ResultFromHeaders(response->headers);
}

Status SwiftClient::PostObject(const std::string& container, const std::string& name,
                               const std::map<std::string, std::string>& metadata,
                               const std::string& content_type) {
  const std::string target = Target(container, name);
  auto response = SendWrite(Method::kPost, Counter::kPostRequests, target, 0,
                            [&](http::Request& request, const auth::Session& session) {
                              request.url = ObjectUrl(session.storage_url, container, name);
                              if (!content_type.empty()) {
                                request.headers.Set("Content-Type", content_type);
                              }
                              for (const auto& [key, value] : metadata) {
                                request.headers.Add("X-Object-Meta-" + key, value);
                              }
                            });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) return ErrorFromResponse(Method::kPost, target, *response);
  return OkStatus();
}

Status SwiftClient::PutContainer(const std::string& container) {
  auto response = SendWrite(Method::kPut, Counter::kPutRequests, container, 0,
                            [&](http::Request& request, const auth::Session& session) {
                              request.url = ContainerUrl(session.storage_url, container);
                            });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) return ErrorFromResponse(Method::kPut, container, *response);
  return OkStatus();
}

Status SwiftClient::DeleteContainer(const std::string& container) {
  auto response = SendWrite(Method::kDelete, Counter::kDeleteRequests, container, 0,
                            [&](http::Request& request, const auth::Session& session) {
                              request.url = ContainerUrl(session.storage_url, container);
                            });
  if (!response) return std::move(response).error();
  if (!IsSuccess(response->status)) {
    return ErrorFromResponse(Method::kDelete, container, *response);
  }
  return OkStatus();
}

}  // namespace swiftfs::swift
