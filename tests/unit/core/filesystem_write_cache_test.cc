// The write path and the read caches: a commit offers the bytes it still holds to the
// reader factory (the disk cache takes them, keyed by the new ETag), a failed commit offers
// nothing; and the staging area takes its bytes from a shared space (the disk cache's cap)
// when it has one.
#include <gtest/gtest.h>

#include <mutex>
#include <vector>

#include "unit/core/write_fixture.h"

namespace swiftfs::core {
namespace {

// Records what it is offered (all of it that the writer holds) and the versions opened.
class RecordingFactory final : public cache::FileReaderFactory {
 public:
  explicit RecordingFactory(swift::ObjectClient& client) : inner_(client) {}
  struct Offer {
    cache::ObjectVersion version;
    std::string bytes;  // what was held, in order; '?' where the writer held nothing
    uint64_t blocks_missing = 0;
  };
  std::unique_ptr<cache::FileReader> Open(const cache::ObjectVersion& version) override {
    std::lock_guard lock(mu_);
    opened.push_back(version);
    return inner_.Open(version);
  }
  void Committed(const cache::ObjectVersion& version, const cache::CommittedBytes& bytes) override {
    Offer offer{version, std::string(version.size, '?'), 0};
    for (uint64_t at = 0; at < version.size; at += kChunk) {
      std::string chunk(std::min(kChunk, version.size - at), '\0');
      if (bytes(at, chunk)) {
        offer.bytes.replace(at, chunk.size(), chunk);
      } else {
        ++offer.blocks_missing;
      }
    }
    std::lock_guard lock(mu_);
    offers.push_back(std::move(offer));
  }

  static constexpr uint64_t kChunk = 1 << 20;
  std::mutex mu_;
  std::vector<Offer> offers;
  std::vector<cache::ObjectVersion> opened;

 private:
  cache::SimpleFileReaderFactory inner_;
};

// A shared space of `capacity` bytes that counts what is taken.
class FakeSpace final : public cache::SharedSpace {
 public:
  explicit FakeSpace(uint64_t capacity) : capacity_(capacity) {}
  bool Take(uint64_t bytes) override {
    if (taken + bytes > capacity_) return false;
    taken += bytes;
    return true;
  }
  void Give(uint64_t bytes) override { taken -= bytes; }
  std::atomic<uint64_t> taken{0};

 private:
  const uint64_t capacity_;
};

class WriteCacheTest : public WriteTest {
 protected:
  ~WriteCacheTest() override { fs_.reset(); }  // before recording_, which it uses
  Filesystem& MountRecording(cache::SharedSpace* space = nullptr) {
    fs_.reset();
    recording_ = std::make_unique<RecordingFactory>(fake_);
    fs_ = std::make_unique<Filesystem>(options_, fake_, *recording_, clock_, logger_, counters_,
                                       nullptr, space);
    EXPECT_TRUE(fs_->Init().ok());
    fake_.ResetCounters();
    return *fs_;
  }
  void WriteNew(const std::string& name, const std::string& data) {
    const uint64_t h = CreateFile(name);
    WriteAll(h, data, 0, 4096);
    ASSERT_TRUE(fs_->Flush(h).ok());
    fs_->Release(h);
  }

  std::unique_ptr<RecordingFactory> recording_;
};

TEST_F(WriteCacheTest, ASmallNewFileIsOfferedWholeUnderItsNewEtag) {
  MountRecording();
  const std::string data = Pattern(kSegment - 10);
  WriteNew("small", data);
  ASSERT_EQ(recording_->offers.size(), 1u);
  const auto& offer = recording_->offers[0];
  EXPECT_EQ(offer.version.container, "c");
  EXPECT_EQ(offer.version.name, "small");
  EXPECT_EQ(offer.version.size, data.size());
  EXPECT_EQ(offer.version.etag, fake_.Stored("c", "small")->etag);
  EXPECT_EQ(offer.blocks_missing, 0u);
  EXPECT_TRUE(offer.bytes == data);
}

TEST_F(WriteCacheTest, AStreamedManifestIsOfferedUnderTheEtagAReadLaterOpens) {
  MountRecording();
  const std::string data = Pattern((3 << 20) + 77, 3);  // many segments, four 1 MiB chunks
  WriteNew("big", data);
  ASSERT_TRUE(IsManifest("big"));
  ASSERT_EQ(recording_->offers.size(), 1u);
  const cache::ObjectVersion committed = recording_->offers[0].version;
  EXPECT_EQ(recording_->offers[0].blocks_missing, 0u);
  EXPECT_TRUE(recording_->offers[0].bytes == data);

  // A later mount (keys of the disk cache survive it) opens the very same version.
  MountRecording();
  const uint64_t h = OpenFile(Lookup("big"), O_RDONLY);
  EXPECT_TRUE(ReadHandle(h, 4 << 20) == data);
  fs_->Release(h);
  ASSERT_FALSE(recording_->opened.empty());
  EXPECT_EQ(recording_->opened.back(), committed);
}

TEST_F(WriteCacheTest, AStagedChangeOffersOnlyTheBlocksHeldLocally) {
  const std::string old = Pattern(3 << 20, 4);
  fake_.PutObject("c", "f", old);
  MountRecording();
  const uint64_t h = OpenFile(Lookup("f"), O_RDWR);
  WriteAll(h, "PATCH", (1 << 20) + 3);  // fetches and stages the second block only
  ASSERT_TRUE(fs_->Flush(h).ok());
  fs_->Release(h);
  ASSERT_EQ(recording_->offers.size(), 1u);
  const auto& offer = recording_->offers[0];
  EXPECT_EQ(offer.version.etag, fake_.Stored("c", "f")->etag);
  EXPECT_EQ(offer.blocks_missing, 2u) << "the untouched blocks are only in Swift";
  std::string expected = old;
  expected.replace((1 << 20) + 3, 5, "PATCH");
  EXPECT_TRUE(offer.bytes.substr(1 << 20, 1 << 20) == expected.substr(1 << 20, 1 << 20));
}

TEST_F(WriteCacheTest, AFailedCommitOffersNothing) {
  MountRecording();
  FailCalls(Op::kUploadObject, "f", MakeError(ErrorCode::kQuotaExceeded, "413", 413));
  const uint64_t h = CreateFile("f");
  WriteAll(h, "data");
  EXPECT_FALSE(fs_->Flush(h).ok());
  fs_->Release(h);
  EXPECT_TRUE(recording_->offers.empty());

  fake_.SetFaultHook(Op::kUploadObject, nullptr);  // segment names may hold an "f"
  FailCalls(Op::kUploadManifest, "g", MakeError(ErrorCode::kNoSpace, "507", 507));
  const uint64_t g = CreateFile("g");
  WriteAll(g, Pattern(3 * kSegment), 0, 4096);
  EXPECT_FALSE(fs_->Flush(g).ok());
  fs_->Release(g);
  EXPECT_TRUE(recording_->offers.empty());
}

TEST_F(WriteCacheTest, StagedBytesAreTakenFromTheSharedSpaceAndGivenBack) {
  FakeSpace space(2 << 20);  // room for two staged blocks, whatever staging_size says
  fake_.PutObject("c", "f", Pattern(4 << 20));
  MountRecording(&space);
  const uint64_t h = OpenFile(Lookup("f"), O_RDWR);
  WriteAll(h, "x", 0);
  WriteAll(h, "x", 1 << 20);
  EXPECT_EQ(space.taken.load(), uint64_t{2} << 20);
  auto third = fs_->Write(h, 2 << 20, std::span<const char>("x", 1));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kNoSpace);
  fs_->Release(h);
  fs_.reset();  // retained local copies go with the mount
  EXPECT_EQ(space.taken.load(), 0u);
}

}  // namespace
}  // namespace swiftfs::core
