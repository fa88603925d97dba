#pragma once
// WritableFake: the write verbs of swift::ObjectClient over a FakeObjectClient's store,
// with Swift's checks where the write path depends on them (a PUT's ETag must match its
// body: kChecksumMismatch; If-None-Match: * on an existing name: kExists; a manifest's
// segments must exist with the etag and size it names), a count per verb, and a hook
// per verb that may fail a call. The fake's own counters still count the reads.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "support/fake_object_client.h"
#include "support/forwarding_object_client.h"

namespace swiftfs::testing {

class WritableFake final : public ForwardingObjectClient {
 public:
  enum class Verb { kUpload, kManifest, kGetManifest, kDelete, kPost, kPutContainer };
  // Sees the container and name of each call; an Error it returns is the answer.
  using Hook =
      std::function<std::optional<Error>(const std::string& container, const std::string& name)>;

  explicit WritableFake(FakeObjectClient& fake) : ForwardingObjectClient(fake), fake_(fake) {}

  void SetHook(Verb verb, Hook hook) {
    std::lock_guard<std::mutex> lock(mu_);
    hooks_[verb] = std::move(hook);
  }
  // Fails the calls of `verb` whose name contains `part`, `count` times (-1: always).
  void Fail(Verb verb, std::string part, Error error, int count = -1) {
    auto left = std::make_shared<std::atomic<int>>(count);
    SetHook(verb, [=](const std::string&, const std::string& name) -> std::optional<Error> {
      if (name.find(part) == std::string::npos) return std::nullopt;
      if (count < 0 || left->fetch_sub(1) > 0) return error;
      return std::nullopt;
    });
  }
  uint64_t count(Verb verb) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = counts_.find(verb);
    return it == counts_.end() ? 0 : it->second;
  }

  // Whole content of an object, or nullopt.
  std::optional<std::string> Data(const std::string& container, const std::string& name) {
    auto head = fake_.HeadObject(container, name);
    if (!head) return std::nullopt;
    std::string data(head->size, '\0');
    size_t done = 0;
    while (done < data.size()) {
      auto got = fake_.GetRange(container, name, done,
                                std::span<char>(data.data() + done, data.size() - done), "");
      if (!got || got->bytes == 0) return std::nullopt;
      done += got->bytes;
    }
    return data;
  }
  // Names in a container (flat).
  std::vector<std::string> Names(const std::string& container) {
    std::vector<std::string> names;
    swift::ListRequest request;
    request.container = container;
    auto page = fake_.ListObjects(request);
    if (!page) return names;
    for (const auto& e : page->entries) names.push_back(e.name);
    return names;
  }
  bool IsManifest(const std::string& container, const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    return manifests_.count(container + "/" + name) > 0;
  }
  // Stores a manifest as if another client had (a rename's copy).
  void PutManifestDirect(const std::string& container, const std::string& name,
                         std::vector<swift::SloSegment> segments) {
    swift::ObjectWrite write;
    write.container = container;
    write.name = name;
    (void)UploadManifest(write, segments);
  }

  Result<swift::WriteResult> UploadObject(const swift::ObjectWrite& write,
                                          std::span<const char> body) override {
    if (auto error = Enter(Verb::kUpload, write.container, write.name)) return *error;
    if (!write.etag.empty() && Md5Hex(std::string_view(body.data(), body.size())) != write.etag) {
      return MakeError(ErrorCode::kChecksumMismatch, "422", 422, write.name);
    }
    return Store(write, std::string(body.data(), body.size()), {});
  }

  Result<swift::WriteResult> UploadManifest(
      const swift::ObjectWrite& write, const std::vector<swift::SloSegment>& segments) override {
    if (auto error = Enter(Verb::kManifest, write.container, write.name)) return *error;
    std::string data;
    for (const swift::SloSegment& segment : segments) {
      const size_t slash = segment.path.find('/');
      auto part = Data(segment.path.substr(0, slash), segment.path.substr(slash + 1));
      if (!part || Md5Hex(*part) != segment.etag || part->size() != segment.size_bytes) {
        return MakeError(ErrorCode::kBadResponse, "400 bad segment", 400, segment.path);
      }
      data += *part;
    }
    return Store(write, std::move(data), segments);
  }

  Result<std::vector<swift::SloSegment>> GetManifest(const std::string& container,
                                                     const std::string& name) override {
    if (auto error = Enter(Verb::kGetManifest, container, name)) return *error;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = manifests_.find(container + "/" + name);
    if (it == manifests_.end()) return MakeError(ErrorCode::kInvalidArgument, "not an SLO");
    return it->second;
  }

  Status DeleteObject(const std::string& container, const std::string& name,
                      swift::DeleteMode) override {
    if (auto error = Enter(Verb::kDelete, container, name)) return *error;
    if (!fake_.HeadObject(container, name)) return MakeError(ErrorCode::kNotFound, "404", 404);
    fake_.RemoveObject(container, name);
    std::lock_guard<std::mutex> lock(mu_);
    manifests_.erase(container + "/" + name);
    return OkStatus();
  }

  Status PostObject(const std::string& container, const std::string& name,
                    const std::map<std::string, std::string>& metadata,
                    const std::string& content_type) override {
    if (auto error = Enter(Verb::kPost, container, name)) return *error;
    auto head = fake_.HeadObject(container, name);
    if (!head) return std::move(head).error();
    auto data = Data(container, name);
    FakeObjectOptions options;
    options.content_type = content_type.empty() ? head->content_type : content_type;
    options.is_slo = head->is_slo;
    SetMeta(options, metadata);
    fake_.PutObject(container, name, *data, options);
    return OkStatus();
  }

  Status PutContainer(const std::string& container) override {
    if (auto error = Enter(Verb::kPutContainer, container, "")) return *error;
    fake_.CreateContainer(container);
    return OkStatus();
  }

  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override {
    auto page = ForwardingObjectClient::ListObjects(request);
    if (!page) return page;
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& entry : page->entries) {
      entry.info.is_slo = manifests_.count(request.container + "/" + entry.name) > 0;
    }
    return page;
  }

 private:
  static void SetMeta(FakeObjectOptions& options, const std::map<std::string, std::string>& meta) {
    options.metadata = meta;
    auto mtime = meta.find("mtime");
    if (mtime != meta.end()) {
      const double seconds = std::stod(mtime->second);
      options.meta_mtime = swift::WallTime(std::chrono::duration_cast<swift::WallTime::duration>(
          std::chrono::duration<double>(seconds)));
    }
  }

  Result<swift::WriteResult> Store(const swift::ObjectWrite& write, std::string data,
                                   std::vector<swift::SloSegment> segments) {
    if (write.if_none_match && fake_.HeadObject(write.container, write.name)) {
      return MakeError(ErrorCode::kExists, "412", 412, write.name);
    }
    FakeObjectOptions options;
    if (!write.content_type.empty()) options.content_type = write.content_type;
    options.is_slo = !segments.empty();
    SetMeta(options, write.metadata);
    const std::string etag = Md5Hex(data);
    fake_.PutObject(write.container, write.name, std::move(data), options);
    std::lock_guard<std::mutex> lock(mu_);
    if (segments.empty()) {
      manifests_.erase(write.container + "/" + write.name);
    } else {
      manifests_[write.container + "/" + write.name] = std::move(segments);
    }
    return swift::WriteResult{etag, std::nullopt};
  }

  std::optional<Error> Enter(Verb verb, const std::string& container, const std::string& name) {
    Hook hook;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++counts_[verb];
      hook = hooks_[verb];
    }
    if (hook) return hook(container, name);
    return std::nullopt;
  }

  FakeObjectClient& fake_;
  mutable std::mutex mu_;
  std::map<Verb, Hook> hooks_;
  std::map<Verb, uint64_t> counts_;
  std::map<std::string, std::vector<swift::SloSegment>> manifests_;
};

}  // namespace swiftfs::testing
