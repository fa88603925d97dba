#include "support/fake_object_client.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "support/fake_object_client_internal.h"

namespace swiftfs::testing {

using swift::WallTime;

std::string Md5Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

using fake_internal::NotFound;
using fake_internal::RoundUpToSecond;
using fake_internal::TimestampText;

FakeObjectClient::FakeObjectClient()
    : now_(std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}) {}

void FakeObjectClient::CreateContainer(const std::string& container) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = containers_.try_emplace(container);
  if (inserted) it->second.created = now_;
}

void FakeObjectClient::PutObject(const std::string& container, const std::string& name,
                                 std::string data, FakeObjectOptions options) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = containers_.try_emplace(container);
  if (inserted) it->second.created = now_;
  if (!options.last_modified) options.last_modified = now_;
  StoredObject object;
  object.etag = Md5Hex(data);
  object.data = std::move(data);
  object.timestamp = TimestampText(*options.last_modified);
  object.options = std::move(options);
  it->second.objects[name] = std::move(object);
}

void FakeObjectClient::PutSymlink(const std::string& container, const std::string& name,
                                  const std::string& target) {
  FakeObjectOptions options;
  options.content_type = "application/symlink";
  options.symlink_target = target;
  PutObject(container, name, "", std::move(options));
}

void FakeObjectClient::RemoveObject(const std::string& container, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = containers_.find(container);
  if (it != containers_.end()) it->second.objects.erase(name);
}

void FakeObjectClient::RemoveContainer(const std::string& container) {
  std::lock_guard<std::mutex> lock(mu_);
  containers_.erase(container);
}

void FakeObjectClient::SetClusterInfo(swift::ClusterInfo info) {
  std::lock_guard<std::mutex> lock(mu_);
  cluster_info_ = info;
}

void FakeObjectClient::SetQuota(std::optional<uint64_t> quota_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  quota_bytes_ = quota_bytes;
}

void FakeObjectClient::SetNow(WallTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  now_ = now;
}

void FakeObjectClient::SetFaultHook(Op op, FaultHook hook) {
  std::lock_guard<std::mutex> lock(mu_);
  hooks_[static_cast<int>(op)] = std::move(hook);
}

void FakeObjectClient::FailNext(Op op, int count, Error error) {
  auto remaining = std::make_shared<std::atomic<int>>(count);
  SetFaultHook(op, [remaining, error](const Call&) -> std::optional<Error> {
    if (remaining->fetch_sub(1) > 0) return error;
    return std::nullopt;
  });
}

uint64_t FakeObjectClient::total_count() const {
  uint64_t total = 0;
  for (const auto& count : counts_) total += count.load();
  return total;
}

std::vector<swift::ListRequest> FakeObjectClient::list_requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return list_requests_;
}

void FakeObjectClient::ResetCounters() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& count : counts_) count = 0;
  bytes_served_ = 0;
  bytes_uploaded_ = 0;
  list_requests_.clear();
}

std::optional<Error> FakeObjectClient::Enter(const Call& call) {
  counts_[static_cast<int>(call.op)].fetch_add(1);
  FaultHook hook;
  {
    std::lock_guard<std::mutex> lock(mu_);
    hook = hooks_[static_cast<int>(call.op)];
  }
  // Unlocked: a hook may block (to test single-flight) or modify the fake.
  if (hook) return hook(call);
  return std::nullopt;
}

swift::ObjectInfo FakeObjectClient::ListingInfo(const std::string& name,
                                                const StoredObject& object) {
  const FakeObjectOptions& o = object.options;
  swift::ObjectInfo info;
  info.name = name;
  if (o.listed_size) {
    info.size = *o.listed_size;
  } else {
    info.size = (o.is_dlo || o.symlink_target) ? 0 : object.data.size();
  }
  info.etag = o.is_dlo ? Md5Hex("") : object.etag;
  info.content_type = o.content_type;
  info.last_modified = *o.last_modified;
  info.symlink_target = o.symlink_target;
  info.is_slo = o.is_slo;  // Swift lists an SLO with its slo_etag (listing_parser.cc)
  return info;
}

swift::ObjectInfo FakeObjectClient::HeadInfo(const std::string& name, const StoredObject& object) {
  const FakeObjectOptions& o = object.options;
  swift::ObjectInfo info;
  info.name = name;
  info.size = object.data.size();
  info.etag = object.etag;
  info.content_type = o.content_type;
  info.last_modified = RoundUpToSecond(*o.last_modified);
  info.meta_mtime = o.meta_mtime;
  info.timestamp = object.timestamp;
  info.metadata = o.metadata;
  info.symlink_target = o.symlink_target;
  info.is_dlo = o.is_dlo;
  info.is_slo = o.is_slo;
  return info;
}

Result<swift::ClusterInfo> FakeObjectClient::GetClusterInfo() {
  if (auto error = Enter({.op = Op::kGetClusterInfo})) return *error;
  std::lock_guard<std::mutex> lock(mu_);
  return cluster_info_;
}

Result<swift::AccountInfo> FakeObjectClient::HeadAccount() {
  if (auto error = Enter({.op = Op::kHeadAccount})) return *error;
  std::lock_guard<std::mutex> lock(mu_);
  swift::AccountInfo info;
  info.container_count = containers_.size();
  for (const auto& [name, container] : containers_) {
    info.object_count += container.objects.size();
    for (const auto& [object_name, object] : container.objects) {
      info.bytes_used += object.data.size();
    }
  }
  info.quota_bytes = quota_bytes_;
  return info;
}

Result<swift::ContainerPage> FakeObjectClient::ListContainers(const std::string& marker,
                                                              uint32_t limit) {
  if (auto error = Enter({.op = Op::kListContainers, .marker = marker})) return *error;
  std::lock_guard<std::mutex> lock(mu_);
  swift::ContainerPage page;
  for (auto it = containers_.upper_bound(marker);
       it != containers_.end() && page.containers.size() < limit; ++it) {
    swift::ContainerEntry entry;
    entry.name = it->first;
    entry.object_count = it->second.objects.size();
    for (const auto& [name, object] : it->second.objects) entry.bytes += object.data.size();
    entry.last_modified = it->second.created;
    page.containers.push_back(std::move(entry));
  }
  return page;
}

Result<swift::ContainerEntry> FakeObjectClient::HeadContainer(const std::string& container) {
  if (auto error = Enter({.op = Op::kHeadContainer, .container = container})) return *error;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = containers_.find(container);
  if (it == containers_.end()) return NotFound(container);
  swift::ContainerEntry entry;
  entry.name = container;
  entry.object_count = it->second.objects.size();
  for (const auto& [name, object] : it->second.objects) entry.bytes += object.data.size();
  entry.last_modified = it->second.created;
  return entry;
}

// Mirrors swift/container/backend.py list_objects_iter (forward order, no end_marker).
Result<swift::ListPage> FakeObjectClient::ListObjects(const swift::ListRequest& request) {
  if (auto error = Enter({.op = Op::kListObjects,
                          .container = request.container,
                          .name = request.prefix,
                          .marker = request.marker})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  list_requests_.push_back(request);
  auto container_it = containers_.find(request.container);
  if (container_it == containers_.end()) return NotFound(request.container);
  const auto& objects = container_it->second.objects;
  const std::string& prefix = request.prefix;

  swift::ListPage page;
  // First name strictly after the marker and not before the prefix.
  auto it = objects.upper_bound(request.marker);
  if (request.marker < prefix) it = objects.lower_bound(prefix);
  while (it != objects.end() && page.entries.size() < request.limit) {
    const std::string& name = it->first;
    if (name.compare(0, prefix.size(), prefix) != 0) break;
    if (!request.end_marker.empty() && name >= request.end_marker) break;
    if (request.delimiter) {
      const size_t end = name.find(*request.delimiter, prefix.size());
      if (end != std::string::npos) {
        std::string dir = name.substr(0, end + 1);
        if (dir != request.marker) {
          swift::ListEntry entry;
          entry.kind = swift::ListEntry::Kind::kSubdir;
          entry.name = dir;
          page.entries.push_back(std::move(entry));
        }
        // Skip every name under `dir`: continue from the first name after dir's range.
        std::string after = name.substr(0, end);
        after += static_cast<char>(*request.delimiter + 1);
        it = objects.lower_bound(after);
        continue;
      }
    }
    swift::ListEntry entry;
    entry.kind = swift::ListEntry::Kind::kObject;
    entry.name = name;
    entry.info = ListingInfo(name, it->second);
    page.entries.push_back(std::move(entry));
    ++it;
  }
  return page;
}

Result<swift::ObjectInfo> FakeObjectClient::HeadObject(const std::string& container,
                                                       const std::string& name) {
  if (auto error = Enter({.op = Op::kHeadObject, .container = container, .name = name})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto container_it = containers_.find(container);
  if (container_it == containers_.end()) return NotFound(container + "/" + name);
  auto it = container_it->second.objects.find(name);
  if (it == container_it->second.objects.end()) return NotFound(container + "/" + name);
  return HeadInfo(name, it->second);
}

Result<swift::ReadResult> FakeObjectClient::GetRange(const std::string& container,
                                                     const std::string& name, uint64_t offset,
                                                     std::span<char> buffer,
                                                     const std::string& if_match) {
  if (auto error = Enter({.op = Op::kGetRange,
                          .container = container,
                          .name = name,
                          .offset = offset,
                          .length = buffer.size(),
                          .if_match = if_match})) {
    return *error;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto container_it = containers_.find(container);
  if (container_it == containers_.end()) return NotFound(container + "/" + name);
  auto it = container_it->second.objects.find(name);
  if (it == container_it->second.objects.end()) return NotFound(container + "/" + name);
  const StoredObject& object = it->second;
  if (!if_match.empty() && if_match != object.etag) {
    return MakeError(ErrorCode::kPreconditionFailed, "412 Precondition Failed", 412,
                     container + "/" + name);
  }
  swift::ReadResult result;
  if (offset < object.data.size()) {
    result.bytes = std::min<uint64_t>(buffer.size(), object.data.size() - offset);
    std::memcpy(buffer.data(), object.data.data() + offset, result.bytes);
  }
  bytes_served_ += result.bytes;
  result.info = HeadInfo(name, object);
  return result;
}

}  // namespace swiftfs::testing
