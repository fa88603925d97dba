#include "swiftfs/cache/simple_file_reader.h"

#include <gtest/gtest.h>

#include "support/fake_object_client.h"
#include "support/forwarding_object_client.h"

namespace swiftfs::cache {
namespace {

using testing::FakeObjectClient;

class SimpleFileReaderTest : public ::testing::Test {
 protected:
  void Store(std::string data) {
    data_ = std::move(data);
    fake_.PutObject("c", "o", data_);
  }
  std::unique_ptr<FileReader> Open(uint64_t read_ahead = 64 * 1024) {
    SimpleFileReaderFactory factory(fake_, SimpleReaderOptions{read_ahead});
    return factory.Open(ObjectVersion{"c", "o", testing::Md5Hex(data_), data_.size()});
  }
  std::string ReadAt(FileReader& reader, uint64_t offset, size_t n) {
    std::string out(n, '\0');
    auto got = reader.Read(offset, std::span<char>(out.data(), out.size()));
    EXPECT_TRUE(got.ok());
    out.resize(got.ok() ? *got : 0);
    return out;
  }

  FakeObjectClient fake_;
  std::string data_;
};

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

TEST_F(SimpleFileReaderTest, SequentialReadsUseTheReadAhead) {
  Store(Pattern(200 * 1024));
  auto reader = Open(64 * 1024);
  std::string all;
  for (uint64_t offset = 0; offset < data_.size(); offset += 4096) {
    all += ReadAt(*reader, offset, 4096);
  }
  EXPECT_EQ(all, data_);
  EXPECT_EQ(fake_.get_range_count(), 4u);  // 64 KiB blocks: 64+64+64+8
  EXPECT_EQ(fake_.bytes_served(), data_.size());
}

TEST_F(SimpleFileReaderTest, RandomReadsFetchExactly) {
  Store(Pattern(1024 * 1024));
  auto reader = Open(64 * 1024);
  EXPECT_EQ(ReadAt(*reader, 0, 10), data_.substr(0, 10));  // offset 0: read-ahead
  const uint64_t after_first = fake_.bytes_served();
  EXPECT_EQ(ReadAt(*reader, 500000, 4096), data_.substr(500000, 4096));
  EXPECT_EQ(ReadAt(*reader, 100000, 4096), data_.substr(100000, 4096));
  EXPECT_EQ(fake_.bytes_served() - after_first, 8192u);
}

TEST_F(SimpleFileReaderTest, EndOfObject) {
  Store("0123456789");
  auto reader = Open();
  EXPECT_EQ(ReadAt(*reader, 8, 100), "89");
  const uint64_t gets = fake_.get_range_count();
  EXPECT_EQ(ReadAt(*reader, 10, 100), "");
  EXPECT_EQ(ReadAt(*reader, 1000, 100), "");
  EXPECT_EQ(fake_.get_range_count(), gets);
}

TEST_F(SimpleFileReaderTest, ChangedObjectFailsWithPreconditionFailed) {
  Store(Pattern(1000));
  auto reader = Open();
  fake_.PutObject("c", "o", "replaced");
  char buf[100];
  auto got = reader->Read(0, buf);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kPreconditionFailed);
}

// Forwards to the fake but never returns more than 1000 bytes per GET, as a server (or a
// proxy) may legally do with a ranged request.
class ShortReadClient final : public testing::ForwardingObjectClient {
 public:
  explicit ShortReadClient(FakeObjectClient& fake) : ForwardingObjectClient(fake), fake_(fake) {}
  Result<swift::ReadResult> GetRange(const std::string& c, const std::string& n, uint64_t offset,
                                     std::span<char> buffer, const std::string& etag) override {
    return fake_.GetRange(c, n, offset, buffer.first(std::min<size_t>(buffer.size(), 1000)), etag);
  }

 private:
  FakeObjectClient& fake_;
};

TEST_F(SimpleFileReaderTest, ShortServerAnswersAreCompleted) {
  Store(Pattern(10000));
  ShortReadClient short_client(fake_);
  SimpleFileReader reader(short_client, ObjectVersion{"c", "o", testing::Md5Hex(data_), 10000},
                          SimpleReaderOptions{0});  // no read-ahead: exact reads
  EXPECT_EQ(ReadAt(reader, 0, 10000), data_);
  EXPECT_EQ(fake_.get_range_count(), 10u);
}

TEST_F(SimpleFileReaderTest, DataEndingBeforeTheVersionsSizeIsAnError) {
  // The server's data ends at 5000 bytes while the version says 10000: never a short read.
  Store(Pattern(5000));
  SimpleFileReader reader(fake_, ObjectVersion{"c", "o", testing::Md5Hex(data_), 10000},
                          SimpleReaderOptions{0});
  std::vector<char> buf(2000);
  auto got = reader.Read(4000, buf);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kBadResponse);
  EXPECT_NE(got.error().message.find("ends at byte 5000, but the object has 10000 bytes"),
            std::string::npos)
      << got.error().message;
}

TEST_F(SimpleFileReaderTest, ErrorsAreReturnedAndTheReaderRecovers) {
  Store(Pattern(5000));
  auto reader = Open();
  fake_.FailNext(FakeObjectClient::Op::kGetRange, 1, MakeError(ErrorCode::kTimeout, "timed out"));
  char buf[100];
  EXPECT_EQ(reader->Read(0, buf).error().code, ErrorCode::kTimeout);
  EXPECT_EQ(ReadAt(*reader, 0, 100), data_.substr(0, 100));
}

}  // namespace
}  // namespace swiftfs::cache
