#pragma once
// ForwardingObjectClient: an ObjectClient that passes every call to another one. Tests that
// need a client misbehaving in one way (short replies, stalls) derive from it and override
// only that method, the way leveldb's EnvWrapper serves fault-injecting Envs.

#include <map>
#include <span>
#include <string>
#include <vector>

#include "swiftfs/swift/object_client.h"

namespace swiftfs::testing {

class ForwardingObjectClient : public swift::ObjectClient {
 public:
  // `inner` must outlive this object.
  explicit ForwardingObjectClient(swift::ObjectClient& inner) : inner_(inner) {}

  Result<swift::ClusterInfo> GetClusterInfo() override { return inner_.GetClusterInfo(); }
  Result<swift::AccountInfo> HeadAccount() override { return inner_.HeadAccount(); }
  Result<swift::ContainerPage> ListContainers(const std::string& marker, uint32_t limit) override {
    return inner_.ListContainers(marker, limit);
  }
  Result<swift::ContainerEntry> HeadContainer(const std::string& container) override {
    return inner_.HeadContainer(container);
  }
  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override {
    return inner_.ListObjects(request);
  }
  Result<swift::ObjectInfo> HeadObject(const std::string& container,
                                       const std::string& name) override {
    return inner_.HeadObject(container, name);
  }
  Result<swift::ReadResult> GetRange(const std::string& container, const std::string& name,
                                     uint64_t offset, std::span<char> buffer,
                                     const std::string& if_match) override {
    return inner_.GetRange(container, name, offset, buffer, if_match);
  }
  // The GetRange with a ReadControl is ObjectClient's own: it checks the cancel flag and
  // calls the one above, so a test overriding that one sees every read.
  Result<swift::WriteResult> UploadObject(const swift::ObjectWrite& write,
                                          std::span<const char> body) override {
    return inner_.UploadObject(write, body);
  }
  Result<swift::WriteResult> UploadManifest(
      const swift::ObjectWrite& write, const std::vector<swift::SloSegment>& segments) override {
    return inner_.UploadManifest(write, segments);
  }
  Result<std::vector<swift::SloSegment>> GetManifest(const std::string& container,
                                                     const std::string& name) override {
    return inner_.GetManifest(container, name);
  }
  Status DeleteObject(const std::string& container, const std::string& name,
                      swift::DeleteMode mode) override {
    return inner_.DeleteObject(container, name, mode);
  }
  Result<swift::WriteResult> CopyObject(const std::string& source_container,
                                        const std::string& source_name,
                                        const swift::ObjectWrite& destination) override {
    return inner_.CopyObject(source_container, source_name, destination);
  }
  Status PostObject(const std::string& container, const std::string& name,
                    const std::map<std::string, std::string>& metadata,
                    const std::string& content_type) override {
    return inner_.PostObject(container, name, metadata, content_type);
  }
  Status PutContainer(const std::string& container) override {
    return inner_.PutContainer(container);
  }
  Status DeleteContainer(const std::string& container) override {
    return inner_.DeleteContainer(container);
  }

 private:
  swift::ObjectClient& inner_;
};

}  // namespace swiftfs::testing
