// DeferredReaderFactory forwards every FileReaderFactory call to the factory attached after
// the fork. A call it did not forward would silently take the base class's default: the
// mounted daemon would behave unlike the unit-tested core (as FetchForLookup once did,
// making every small file's lookup a HEAD again).

#include "cli/deferred_reader_factory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "swiftfs/cache/listing_order.h"

namespace swiftfs::cli {
namespace {

class EmptyReader final : public cache::FileReader {
 public:
  Result<size_t> Read(uint64_t, std::span<char>, const std::atomic<bool>*) override {
    return size_t{0};
  }
};

class NullPending final : public cache::PendingVersion {
 public:
  void Add(uint64_t, std::shared_ptr<const std::string>) override {}
  void Commit(const cache::ObjectVersion&) override {}
};

// Records which of its methods were called.
class RecordingFactory final : public cache::FileReaderFactory {
 public:
  std::unique_ptr<cache::FileReader> Open(const cache::ObjectVersion&) override {
    calls.push_back("Open");
    return std::make_unique<EmptyReader>();
  }
  std::unique_ptr<cache::FileReader> OpenListed(const cache::ObjectVersion&,
                                                const cache::ListedPosition&) override {
    calls.push_back("OpenListed");
    return std::make_unique<EmptyReader>();
  }
  void Committed(const cache::ObjectVersion&, const cache::CommittedBytes&) override {
    calls.push_back("Committed");
  }
  std::unique_ptr<cache::PendingVersion> BeginVersion(const std::string&,
                                                      const std::string&) override {
    calls.push_back("BeginVersion");
    return std::make_unique<NullPending>();
  }
  std::optional<Result<swift::ObjectInfo>> FetchForLookup(
      const cache::ObjectVersion& version, const std::atomic<bool>* /*cancel*/) override {
    calls.push_back("FetchForLookup");
    swift::ObjectInfo info;
    info.name = version.name;
    return Result<swift::ObjectInfo>(info);
  }
  std::vector<std::string> calls;
};

TEST(DeferredReaderFactoryTest, ForwardsEveryCallToTheAttachedFactory) {
  DeferredReaderFactory deferred;
  RecordingFactory target;
  deferred.Attach(target);
  const cache::ObjectVersion version{"c", "o", "etag", 3};
  std::vector<char> buffer(3);
  EXPECT_TRUE(deferred.Open(version)->Read(0, buffer).ok());
  EXPECT_TRUE(deferred.OpenListed(version, cache::ListedPosition{})->Read(0, buffer).ok());
  deferred.Committed(version, [](uint64_t, std::span<char>) { return false; });
  auto fetched = deferred.FetchForLookup(version, nullptr);
  ASSERT_TRUE(fetched.has_value());
  ASSERT_TRUE(fetched->ok());
  EXPECT_EQ((*fetched)->name, "o");
  EXPECT_NE(deferred.BeginVersion("c", "o"), nullptr);
  EXPECT_EQ(target.calls, (std::vector<std::string>{"Open", "OpenListed", "Committed",
                                                    "FetchForLookup", "BeginVersion"}));
}

TEST(DeferredReaderFactoryTest, WithoutATargetReadsFailAndLookupsHead) {
  DeferredReaderFactory deferred;
  const cache::ObjectVersion version{"c", "o", "etag", 3};
  std::vector<char> buffer(3);
  auto read = deferred.Open(version)->Read(0, buffer);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(deferred.FetchForLookup(version, nullptr).has_value());
  EXPECT_EQ(deferred.BeginVersion("c", "o"), nullptr);
}

}  // namespace
}  // namespace swiftfs::cli
