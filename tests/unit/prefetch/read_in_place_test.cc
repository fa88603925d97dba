// ReadInPlace: a stream's reads are handed out as slices of the prefetched parts (no copy),
// byte-exact and alive as long as the view; reads no part covers fall back to a copy.

#include <gtest/gtest.h>

#include "swiftfs/cache/prefetcher.h"
#include "unit/prefetch/prefetch_test_util.h"

namespace swiftfs::cache {
namespace {

using testing::FakeObjectClient;
using testing::kKiB;
using testing::kMiB;
using testing::RandomData;
using testing::SmallPrefetchOptions;
using testing::VersionOf;

std::string Join(const ReadView& view) {
  std::string out;
  for (auto piece : view.pieces) out.append(piece.data(), piece.size());
  return out;
}

class ReadInPlaceTest : public ::testing::Test {
 protected:
  FakeObjectClient fake_;
  Counters counters_;
};

TEST_F(ReadInPlaceTest, AStreamIsServedFromThePartsWithoutACopy) {
  const std::string data = RandomData(3 * kMiB + 77, 5);
  fake_.PutObject("c", "o", data);
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(VersionOf("c", "o", data));
  const size_t chunk = 100 * kKiB;  // not a divisor of the part size: reads straddle parts
  std::string out;
  size_t in_place = 0, straddling = 0;
  std::vector<ReadView> kept;  // views outlive later reads (and the parts they pass)
  for (uint64_t offset = 0;;) {
    auto view = reader->ReadInPlace(offset, chunk);
    ASSERT_TRUE(view.ok()) << view.error().ToString();
    if (view->size() == 0) break;
    // A piece that is not inside the view's own allocation points into a part.
    if (view->owner.get() != static_cast<const void*>(view->pieces[0].data())) ++in_place;
    if (view->pieces.size() > 1) ++straddling;
    out += Join(*view);
    offset += view->size();
    kept.push_back(std::move(*view));
  }
  EXPECT_EQ(out, data);
  EXPECT_GT(in_place, kept.size() / 2);  // once the stream runs, every read is in place
  EXPECT_GT(straddling, 0u);
  // Every kept view still shows its bytes after the reader moved on and was closed.
  reader.reset();
  std::string again;
  for (const auto& view : kept) again += Join(view);
  EXPECT_EQ(again, data);
  kept.clear();
  prefetcher.WaitIdle();
  EXPECT_EQ(prefetcher.budget().in_use(), 0u);  // views released: parts returned memory
}

TEST_F(ReadInPlaceTest, RandomAndEndOfObjectReadsAreExact) {
  const std::string data = RandomData(1 * kMiB, 9);
  fake_.PutObject("c", "o", data);
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(VersionOf("c", "o", data));
  for (uint64_t offset : {uint64_t{700 * kKiB}, uint64_t{3}, uint64_t{1 * kMiB - 10}}) {
    auto view = reader->ReadInPlace(offset, 4096);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(Join(*view), data.substr(offset, 4096)) << offset;
  }
  auto past = reader->ReadInPlace(1 * kMiB, 4096);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->pieces.empty());
}

TEST_F(ReadInPlaceTest, AnOverwriteFailsTheReadInsteadOfMixingVersions) {
  const std::string data = RandomData(2 * kMiB, 1);
  fake_.PutObject("c", "o", data);
  Prefetcher prefetcher(fake_, counters_, SmallPrefetchOptions());
  auto reader = prefetcher.Open(VersionOf("c", "o", data));
  fake_.PutObject("c", "o", RandomData(2 * kMiB, 2));
  bool failed = false;
  for (uint64_t offset = 0; offset < data.size() && !failed; offset += 128 * kKiB) {
    auto view = reader->ReadInPlace(offset, 128 * kKiB);
    if (!view.ok()) {
      EXPECT_EQ(view.error().code, ErrorCode::kPreconditionFailed);
      failed = true;
    }
  }
  EXPECT_TRUE(failed);
}

// The default ReadInPlace of any FileReader: Read into a buffer the view owns.
class FixedReader final : public FileReader {
 public:
  Result<size_t> Read(uint64_t offset, std::span<char> buffer,
                      const std::atomic<bool>* = nullptr) override {
    const std::string data = "0123456789";
    if (offset >= data.size()) return size_t{0};
    const size_t n = std::min(buffer.size(), data.size() - offset);
    std::copy_n(data.data() + offset, n, buffer.data());
    return n;
  }
};

TEST(FileReaderTest, DefaultReadInPlaceReadsIntoAnOwnedBuffer) {
  FixedReader reader;
  auto view = reader.ReadInPlace(4, 100);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(Join(*view), "456789");
  EXPECT_NE(view->owner, nullptr);
  auto end = reader.ReadInPlace(10, 100);
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->pieces.empty());
}

}  // namespace
}  // namespace swiftfs::cache
