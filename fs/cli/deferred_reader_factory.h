#pragma once
// DeferredReaderFactory: a FileReaderFactory whose target is attached after construction,
// so the Filesystem can be built (and its root checked) before the daemon forks, while the
// prefetcher, which owns threads, is created after the fork.

#include <atomic>
#include <memory>
#include <optional>

#include "swiftfs/cache/file_reader.h"
#include "swiftfs/common/result.h"

namespace swiftfs::cli {

class DeferredReaderFactory final : public cache::FileReaderFactory {
 public:
  // `target` must outlive every reader handed out. Call before the mount serves requests.
  void Attach(cache::FileReaderFactory& target) {
    target_.store(&target, std::memory_order_release);
  }

  // Forwards to the target. Without one (a bug: the mount served a read before
  // StartPrefetcher), returns a reader whose every read fails with kInternal.
  std::unique_ptr<cache::FileReader> Open(const cache::ObjectVersion& version) override;
  std::unique_ptr<cache::FileReader> OpenListed(const cache::ObjectVersion& version,
                                                const cache::ListedPosition& where) override;
  // Forwards to the target; without one, nothing is taken.
  void Committed(const cache::ObjectVersion& version, const cache::CommittedBytes& bytes) override;
  // Forwards to the target; without one, nullptr (nothing is taken).
  std::unique_ptr<cache::PendingVersion> BeginVersion(const std::string& container,
                                                      const std::string& name) override;
  // Forwards to the target; without one, nullopt (the lookup HEADs).
  std::optional<Result<swift::ObjectInfo>> FetchForLookup(const cache::ObjectVersion& version,
                                                          const std::atomic<bool>* cancel) override;
  // Forwards to the target; without one, nullopt (the stat HEADs).
  std::optional<Result<swift::ObjectInfo>> FetchToStore(
      const cache::ObjectVersion& version) override;
  // The target's; without one, false.
  bool FetchesOnStat() const override;

 private:
  std::atomic<cache::FileReaderFactory*> target_{nullptr};
};

}  // namespace swiftfs::cli
