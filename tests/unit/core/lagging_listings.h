#pragma once
// LaggingListings: an ObjectClient whose container listings lag behind its objects, as
// Swift's do (object servers queue the container update): after Freeze(container), every
// listing of that container answers from the objects it held at that moment, while HEAD,
// GET and the writes go to the real (fake) account. Thaw() lets listings catch up.

#include <map>
#include <mutex>
#include <string>

#include "support/forwarding_object_client.h"

namespace swiftfs::testing {

class LaggingListings : public ForwardingObjectClient {
 public:
  explicit LaggingListings(swift::ObjectClient& inner)
      : ForwardingObjectClient(inner), inner_(inner) {}

  // Listings of `container` show what it holds now, from now on, until Thaw().
  void Freeze(const std::string& container) {
    std::map<std::string, swift::ListEntry> objects;
    swift::ListRequest request;
    request.container = container;
    while (true) {
      auto page = inner_.ListObjects(request);
      if (!page || page->entries.empty()) break;
      for (swift::ListEntry& entry : page->entries) objects.emplace(entry.name, entry);
      request.marker = page->entries.back().name;
    }
    std::lock_guard<std::mutex> lock(mu_);
    frozen_[container] = std::move(objects);
  }
  void Thaw() {
    std::lock_guard<std::mutex> lock(mu_);
    frozen_.clear();
  }

  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override {
    std::unique_lock<std::mutex> lock(mu_);
    auto frozen = frozen_.find(request.container);
    if (frozen == frozen_.end()) {
      lock.unlock();
      return inner_.ListObjects(request);
    }
    // Swift's listing algorithm (as FakeObjectClient's) over the frozen names.
    const auto& objects = frozen->second;
    const std::string& prefix = request.prefix;
    swift::ListPage page;
    auto it = objects.upper_bound(request.marker);
    if (request.marker < prefix) it = objects.lower_bound(prefix);
    while (it != objects.end() && page.entries.size() < request.limit) {
      const std::string& name = it->first;
      if (name.compare(0, prefix.size(), prefix) != 0) break;
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
          std::string after = name.substr(0, end);
          after += static_cast<char>(*request.delimiter + 1);
          it = objects.lower_bound(after);
          continue;
        }
      }
      page.entries.push_back(it->second);
      ++it;
    }
    return page;
  }

 private:
  swift::ObjectClient& inner_;
  std::mutex mu_;
  std::map<std::string, std::map<std::string, swift::ListEntry>> frozen_;  // guarded by mu_
};

}  // namespace swiftfs::testing
