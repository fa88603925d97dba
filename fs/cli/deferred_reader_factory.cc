#include "cli/deferred_reader_factory.h"

#include "swiftfs/cache/listing_order.h"

namespace swiftfs::cli {
namespace {

class UnattachedReader final : public cache::FileReader {
 public:
  Result<size_t> Read(uint64_t, std::span<char>, const std::atomic<bool>*) override {
    return MakeError(ErrorCode::kInternal, "no reader factory attached");
  }
};

}  // namespace

std::unique_ptr<cache::FileReader> DeferredReaderFactory::Open(
    const cache::ObjectVersion& version) {
  cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  if (target == nullptr) return std::make_unique<UnattachedReader>();
  return target->Open(version);
}

std::unique_ptr<cache::FileReader> DeferredReaderFactory::OpenListed(
    const cache::ObjectVersion& version, const cache::ListedPosition& where) {
  cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  if (target == nullptr) return std::make_unique<UnattachedReader>();
  return target->OpenListed(version, where);
}

void DeferredReaderFactory::Committed(const cache::ObjectVersion& version,
                                      const cache::CommittedBytes& bytes) {
  cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  if (target != nullptr) target->Committed(version, bytes);
}

std::unique_ptr<cache::PendingVersion> DeferredReaderFactory::BeginVersion(
    const std::string& container, const std::string& name) {
  cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  if (target == nullptr) return nullptr;
  return target->BeginVersion(container, name);
}

std::optional<Result<swift::ObjectInfo>> DeferredReaderFactory::FetchForLookup(
    const cache::ObjectVersion& version, const std::atomic<bool>* cancel) {
  cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  if (target == nullptr) return std::nullopt;
  return target->FetchForLookup(version, cancel);
}

std::optional<Result<swift::ObjectInfo>> DeferredReaderFactory::FetchToStore(
    const cache::ObjectVersion& version) {
  cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  if (target == nullptr) return std::nullopt;
  return target->FetchToStore(version);
}

bool DeferredReaderFactory::FetchesOnStat() const {
  const cache::FileReaderFactory* target = target_.load(std::memory_order_acquire);
  return target != nullptr && target->FetchesOnStat();
}

}  // namespace swiftfs::cli
