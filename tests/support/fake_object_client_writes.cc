// FakeObjectClient's write verbs: each checks what Swift 2.30 checks, in Swift's order, and
// fails with the ErrorCode SwiftClient gives Swift's answer (see the header's summary).
#include <cstdlib>
#include <string_view>

#include "support/fake_object_client.h"
#include "support/fake_object_client_internal.h"

namespace swiftfs::testing {

using fake_internal::NotFound;
using fake_internal::RoundUpToSecond;
using fake_internal::TimestampText;
using swift::WallTime;

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Target(const std::string& container, const std::string& name) {
  return container + "/" + name;
}

// "container/object" split at the first slash; nullopt without one.
std::optional<std::pair<std::string, std::string>> SplitPath(const std::string& path) {
  const size_t slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == path.size()) return std::nullopt;
  return std::pair(path.substr(0, slash), path.substr(slash + 1));
}

// X-Object-Meta-Mtime as float seconds, like header_parser's ParseEpochSeconds.
std::optional<WallTime> MetaMtime(const std::map<std::string, std::string>& metadata) {
  auto it = metadata.find("mtime");
  if (it == metadata.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  const double seconds = std::strtod(it->second.c_str(), &end);
  if (end != it->second.c_str() + it->second.size() || seconds < 0) return std::nullopt;
  return WallTime(
      std::chrono::duration_cast<WallTime::duration>(std::chrono::duration<double>(seconds)));
}

std::map<std::string, std::string> LowerKeys(const std::map<std::string, std::string>& metadata) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : metadata) out[Lower(key)] = value;
  return out;
}

// Swift's SLO etag: MD5 over each segment's etag, or "etag:first-last;" for a range.
std::string SloEtag(const std::vector<swift::SloSegment>& segments) {
  std::string joined;
  for (const auto& segment : segments) {
    joined += Lower(segment.etag);
    if (segment.range) {
      joined += ":" + std::to_string(segment.range->first) + "-" +
                std::to_string(segment.range->second) + ";";
    }
  }
  return Md5Hex(joined);
}

Error BadManifest(const std::string& target, const std::string& what) {
  // Swift: 400 Bad Request, "Errors:\n<segment path>, <problem>" in the body.
  return MakeError(ErrorCode::kInvalidArgument, "400 Bad Request: Errors: " + what, 400, target);
}

}  // namespace

std::optional<FakeObjectClient::StoredView> FakeObjectClient::Stored(
    const std::string& container, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto container_it = containers_.find(container);
  if (container_it == containers_.end()) return std::nullopt;
  auto it = container_it->second.objects.find(name);
  if (it == container_it->second.objects.end()) return std::nullopt;
  const StoredObject& object = it->second;
  StoredView view;
  view.data = object.data;
  view.etag = object.etag;
  view.content_type = object.options.content_type;
  view.metadata = object.options.metadata;
  view.is_slo = object.options.is_slo;
  view.manifest = object.manifest;
  view.last_modified = object.options.last_modified.value_or(WallTime{});
  return view;
}

std::vector<std::string> FakeObjectClient::ObjectNames(const std::string& container) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> names;
  auto it = containers_.find(container);
  if (it == containers_.end()) return names;
  for (const auto& [name, object] : it->second.objects) names.push_back(name);
  return names;
}

bool FakeObjectClient::HasContainer(const std::string& container) const {
  std::lock_guard<std::mutex> lock(mu_);
  return containers_.contains(container);
}

uint64_t FakeObjectClient::BytesUsed() const {
  // Swift counts a manifest by its own small size; its segments are counted as objects.
  uint64_t total = 0;
  for (const auto& [name, container] : containers_) {
    for (const auto& [object_name, object] : container.objects) {
      if (!object.options.is_slo) total += object.data.size();
    }
  }
  return total;
}

std::optional<Error> FakeObjectClient::CheckWritable(const swift::ObjectWrite& write,
                                                     uint64_t size) const {
  const std::string target = Target(write.container, write.name);
  auto container_it = containers_.find(write.container);
  if (container_it == containers_.end()) return NotFound(target);
  if (size > cluster_info_.max_file_size) {
    return MakeError(ErrorCode::kTooLarge,
                     "413 Request Entity Too Large: Your request is too large.", 413, target);
  }
  if (quota_bytes_ && BytesUsed() + size > *quota_bytes_) {
    return MakeError(ErrorCode::kQuotaExceeded,
                     "413 Request Entity Too Large: Upload exceeds quota.", 413, target);
  }
  if (write.if_none_match && container_it->second.objects.contains(write.name)) {
    return MakeError(ErrorCode::kExists, "412 Precondition Failed", 412, target);
  }
  return std::nullopt;
}

swift::WriteResult FakeObjectClient::Store(const swift::ObjectWrite& write, StoredObject object) {
  object.options.content_type =
      write.content_type.empty() ? "application/octet-stream" : write.content_type;
  object.options.metadata = LowerKeys(write.metadata);
  object.options.meta_mtime = MetaMtime(object.options.metadata);
  object.options.last_modified = now_;
  object.timestamp = TimestampText(now_);
  swift::WriteResult result;
  result.etag = object.etag;
  result.last_modified = RoundUpToSecond(now_);
  containers_[write.container].objects[write.name] = std::move(object);
  return result;
}

Result<swift::WriteResult> FakeObjectClient::UploadObject(const swift::ObjectWrite& write,
                                                          std::span<const char> body) {
  if (auto error = Enter({.op = Op::kUploadObject,
                          .container = write.container,
                          .name = write.name,
                          .body_size = body.size(),
                          .etag = write.etag,
                          .if_none_match = write.if_none_match})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto error = CheckWritable(write, body.size())) return *error;
  StoredObject object;
  object.data.assign(body.data(), body.size());
  object.etag = Md5Hex(object.data);
  if (!write.etag.empty() && Lower(write.etag) != object.etag) {
    return MakeError(ErrorCode::kChecksumMismatch, "422 Unprocessable Entity", 422,
                     Target(write.container, write.name));
  }
  bytes_uploaded_ += body.size();
  return Store(write, std::move(object));
}

Result<swift::WriteResult> FakeObjectClient::UploadManifest(
    const swift::ObjectWrite& write, const std::vector<swift::SloSegment>& segments) {
  if (auto error = Enter({.op = Op::kUploadManifest,
                          .container = write.container,
                          .name = write.name,
                          .segment_count = segments.size(),
                          .etag = write.etag,
                          .if_none_match = write.if_none_match})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  const std::string target = Target(write.container, write.name);
  if (segments.empty()) return BadManifest(target, "Manifest must have at least one segment.");
  if (segments.size() > cluster_info_.slo_max_manifest_segments) {
    return MakeError(ErrorCode::kTooLarge,
                     "413 Request Entity Too Large: Number of segments must be <= " +
                         std::to_string(cluster_info_.slo_max_manifest_segments),
                     413, target);
  }
  // Every segment is checked as Swift does (HEAD each), the problems reported together.
  std::string problems;
  StoredObject object;
  for (size_t i = 0; i < segments.size(); ++i) {
    const swift::SloSegment& segment = segments[i];
    auto split = SplitPath(segment.path);
    const StoredObject* found = nullptr;
    if (split) {
      auto container_it = containers_.find(split->first);
      if (container_it != containers_.end()) {
        auto it = container_it->second.objects.find(split->second);
        if (it != container_it->second.objects.end()) found = &it->second;
      }
    }
    std::string problem;
    if (found == nullptr) {
      problem = "404 Not Found";
    } else if (!segment.etag.empty() && Lower(segment.etag) != found->etag) {
      problem = "Etag Mismatch";
    } else if (segment.size_bytes != found->data.size()) {
      problem = "Size Mismatch";
    } else if (segment.range && (segment.range->first > segment.range->second ||
                                 segment.range->second >= found->data.size())) {
      problem = "Unsatisfiable Range";
    } else if (i + 1 < segments.size() && found->data.size() < cluster_info_.slo_min_segment_size) {
      problem = "Too small; each segment must be at least " +
                std::to_string(cluster_info_.slo_min_segment_size) + " bytes.";
    }
    if (!problem.empty()) {
      problems += (problems.empty() ? "" : "; ") + segment.path + ", " + problem;
      continue;
    }
    if (segment.range) {
      object.data.append(found->data, segment.range->first,
                         segment.range->second - segment.range->first + 1);
    } else {
      object.data += found->data;
    }
  }
  if (!problems.empty()) return BadManifest(target, problems);
  object.etag = SloEtag(segments);
  if (!write.etag.empty() && Lower(write.etag) != object.etag) {
    return MakeError(ErrorCode::kChecksumMismatch, "422 Unprocessable Entity", 422, target);
  }
  // The manifest itself is small: only If-None-Match and the container apply to it.
  if (auto error = CheckWritable(write, 0)) return *error;
  object.options.is_slo = true;
  object.manifest = segments;
  return Store(write, std::move(object));
}

Result<std::vector<swift::SloSegment>> FakeObjectClient::GetManifest(const std::string& container,
                                                                     const std::string& name) {
  if (auto error = Enter({.op = Op::kGetManifest, .container = container, .name = name})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto container_it = containers_.find(container);
  if (container_it == containers_.end()) return NotFound(Target(container, name));
  auto it = container_it->second.objects.find(name);
  if (it == container_it->second.objects.end()) return NotFound(Target(container, name));
  if (!it->second.options.is_slo) {
    return MakeError(ErrorCode::kInvalidArgument, "not a static large object", 0,
                     Target(container, name));
  }
  return it->second.manifest;
}

Status FakeObjectClient::DeleteObject(const std::string& container, const std::string& name,
                                      swift::DeleteMode mode) {
  if (auto error = Enter(
          {.op = Op::kDeleteObject, .container = container, .name = name, .delete_mode = mode})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto container_it = containers_.find(container);
  if (container_it == containers_.end()) return NotFound(Target(container, name));
  auto it = container_it->second.objects.find(name);
  if (it == container_it->second.objects.end()) return NotFound(Target(container, name));
  const std::vector<swift::SloSegment> segments = it->second.manifest;
  container_it->second.objects.erase(it);
  if (mode == swift::DeleteMode::kWithSegments) {
    // Swift's bulk delete of the segments: one already gone is no error.
    for (const auto& segment : segments) {
      auto split = SplitPath(segment.path);
      if (!split) continue;
      auto segment_container = containers_.find(split->first);
      if (segment_container != containers_.end())
        segment_container->second.objects.erase(split->second);
    }
  }
  return OkStatus();
}

Result<swift::WriteResult> FakeObjectClient::CopyObject(const std::string& source_container,
                                                        const std::string& source_name,
                                                        const swift::ObjectWrite& destination) {
  if (auto error = Enter({.op = Op::kCopyObject,
                          .container = destination.container,
                          .name = destination.name,
                          .if_match = destination.etag,
                          .if_none_match = destination.if_none_match,
                          .source = Target(source_container, source_name)})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  const std::string source_target = Target(source_container, source_name);
  auto source_container_it = containers_.find(source_container);
  if (source_container_it == containers_.end()) return NotFound(source_target);
  auto source_it = source_container_it->second.objects.find(source_name);
  if (source_it == source_container_it->second.objects.end()) return NotFound(source_target);
  StoredObject copy = source_it->second;  // a manifest stays a manifest: segments shared
  if (!destination.etag.empty() && Lower(destination.etag) != copy.etag) {
    return MakeError(ErrorCode::kPreconditionFailed, "412 Precondition Failed", 412, source_target);
  }
  // A plain copy moves the bytes and is bounded like a PUT; a manifest copy moves no data.
  if (auto error = CheckWritable(destination, copy.options.is_slo ? 0 : copy.data.size())) {
    return *error;
  }
  swift::ObjectWrite write = destination;
  if (write.content_type.empty()) write.content_type = copy.options.content_type;
  if (write.metadata.empty()) write.metadata = copy.options.metadata;
  return Store(write, std::move(copy));
}

Status FakeObjectClient::PostObject(const std::string& container, const std::string& name,
                                    const std::map<std::string, std::string>& metadata,
                                    const std::string& content_type) {
  if (auto error = Enter({.op = Op::kPostObject, .container = container, .name = name})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto container_it = containers_.find(container);
  if (container_it == containers_.end()) return NotFound(Target(container, name));
  auto it = container_it->second.objects.find(name);
  if (it == container_it->second.objects.end()) return NotFound(Target(container, name));
  FakeObjectOptions& options = it->second.options;
  options.metadata = LowerKeys(metadata);
  options.meta_mtime = MetaMtime(options.metadata);
  if (!content_type.empty()) options.content_type = content_type;
  // Swift's HEAD shows the POST's time as Last-Modified (fast-POST), not the data's.
  options.last_modified = now_;
  it->second.timestamp = TimestampText(now_);
  return OkStatus();
}

Status FakeObjectClient::PutContainer(const std::string& container) {
  if (auto error = Enter({.op = Op::kPutContainer, .container = container})) return *error;
  std::lock_guard<std::mutex> lock(mu_);
  // 201 Created, or 202 Accepted for one that exists: both success.
  auto [it, inserted] = containers_.try_emplace(container);
  if (inserted) it->second.created = now_;
  return OkStatus();
}

Status FakeObjectClient::DeleteContainer(const std::string& container) {
  if (auto error = Enter({.op = Op::kDeleteContainer, .container = container})) return *error;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = containers_.find(container);
  if (it == containers_.end()) return NotFound(container);
  if (!it->second.objects.empty()) {
    return MakeError(ErrorCode::kConflict,
                     "409 Conflict: There was a conflict when trying to complete your request.",
                     409, container);
  }
  containers_.erase(it);
  return OkStatus();
}

}  // namespace swiftfs::testing
