// Open/Read/Release: pinned versions (If-Match), ESTALE on change, ends of objects, and
// write intents on a read-only mount.
#include <fcntl.h>
#include <gtest/gtest.h>

#include "core/timed_out_range.h"
#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectClient;

TEST_F(FilesystemTest, ReadsCarryIfMatchOfTheOpenedVersion) {
  fake_.PutObject("c", "f", "0123456789");
  Mount();
  const InodeId f = Ino("f");
  std::vector<std::string> if_matches;
  fake_.SetFaultHook(FakeObjectClient::Op::kGetRange,
                     [&](const FakeObjectClient::Call& call) -> std::optional<Error> {
                       if_matches.push_back(call.if_match);
                       return std::nullopt;
                     });
  auto data = ReadFile(f);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "0123456789");
  ASSERT_FALSE(if_matches.empty());
  for (const auto& etag : if_matches) EXPECT_EQ(etag, testing::Md5Hex("0123456789"));
  EXPECT_EQ(counters_.Get(Counter::kBytesServed), 10u);
}

TEST_F(FilesystemTest, ObjectReplacedAfterOpenFailsWithPreconditionFailed) {
  fake_.PutObject("c", "f", std::string(100, 'a'));
  Mount();
  auto open = fs_->Open(Ino("f"), O_RDONLY);
  ASSERT_TRUE(open.ok());
  fake_.PutObject("c", "f", std::string(100, 'b'));
  char buf[10];
  auto got = fs_->Read(open->handle, 0, buf);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kPreconditionFailed);
  fs_->Release(open->handle);
}

TEST_F(FilesystemTest, ReadAcrossAndPastTheEnd) {
  fake_.PutObject("c", "f", "abcdef");
  Mount();
  auto open = fs_->Open(Ino("f"), O_RDONLY);
  ASSERT_TRUE(open.ok());
  char buf[16];
  auto across = fs_->Read(open->handle, 4, buf);
  ASSERT_TRUE(across.ok());
  EXPECT_EQ(std::string(buf, *across), "ef");
  const uint64_t gets = fake_.get_range_count();
  auto past = fs_->Read(open->handle, 100, buf);
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(*past, 0u);
  EXPECT_EQ(fake_.get_range_count(), gets);  // no request past the end
  fs_->Release(open->handle);
  EXPECT_EQ(fs_->Read(open->handle, 0, buf).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(FilesystemTest, EmptyFileReadsNothingWithoutAGet) {
  fake_.PutObject("c", "empty", "");
  Mount();
  auto data = ReadFile(Ino("empty"));
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "");
  EXPECT_EQ(fake_.get_range_count(), 0u);
}

TEST_F(FilesystemTest, SequentialSmallFileIsOneGet) {
  fake_.PutObject("c", "f", std::string(100000, 'x'));
  Mount();
  auto data = ReadFile(Ino("f"), 4096);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->size(), 100000u);
  EXPECT_EQ(fake_.get_range_count(), 1u);  // the read-ahead took it all
}

TEST_F(FilesystemTest, WriteIntentOpensAreReadOnly) {
  fake_.PutObject("c", "f", "x");
  Mount();
  const InodeId f = Ino("f");
  for (int flags : {O_WRONLY, O_RDWR, O_RDONLY | O_TRUNC, O_WRONLY | O_APPEND}) {
    auto open = fs_->Open(f, flags);
    ASSERT_FALSE(open.ok()) << flags;
    EXPECT_EQ(open.error().code, ErrorCode::kReadOnly);
  }
  EXPECT_EQ(fs_->Open(kRootInode, O_RDONLY).error().code, ErrorCode::kIsADirectory);
}

TEST_F(FilesystemTest, KeepCacheOnlyForTheSameVersion) {
  options_.attr_timeout = std::chrono::seconds(1);
  options_.dir_cache_timeout = std::chrono::seconds(1);
  fake_.PutObject("c", "f", "v1");
  Mount();
  const InodeId f = Ino("f");
  auto first = fs_->Open(f, O_RDONLY);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->keep_cache);
  auto second = fs_->Open(f, O_RDONLY);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->keep_cache);
  fake_.PutObject("c", "f", "v2");
  clock_.Advance(std::chrono::seconds(2));
  auto third = fs_->Open(f, O_RDONLY);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->keep_cache);
  for (auto h : {first->handle, second->handle, third->handle}) fs_->Release(h);
}

TEST_F(FilesystemTest, ServerErrorOnReadPassesThrough) {
  fake_.PutObject("c", "f", "data");
  Mount();
  auto open = fs_->Open(Ino("f"), O_RDONLY);
  ASSERT_TRUE(open.ok());
  fake_.FailNext(FakeObjectClient::Op::kGetRange, 1,
                 MakeError(ErrorCode::kServerError, "500", 500));
  char buf[4];
  EXPECT_EQ(fs_->Read(open->handle, 0, buf).error().code, ErrorCode::kServerError);
  auto retry = fs_->Read(open->handle, 0, buf);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(std::string(buf, *retry), "data");
  fs_->Release(open->handle);
}

// The kernel retries a failed read-ahead with a read of its own at once: against a stalled
// server that retry must not wait a second deadline. Later reads go to Swift again.
TEST_F(FilesystemTest, ReadOfARangeThatJustTimedOutFailsAtOnceThenRetriesLater) {
  fake_.PutObject("c", "f", std::string(100, 'a'));
  Mount();
  auto open = fs_->Open(Ino("f"), O_RDONLY);
  ASSERT_TRUE(open.ok());
  bool stalled = true;
  fake_.SetFaultHook(
      FakeObjectClient::Op::kGetRange, [&](const FakeObjectClient::Call&) -> std::optional<Error> {
        if (!stalled) return std::nullopt;
        return MakeError(ErrorCode::kTimeout, "no complete answer within the deadline");
      });
  char buf[64];
  ASSERT_EQ(fs_->Read(open->handle, 0, buf).error().code, ErrorCode::kTimeout);
  const uint64_t gets = fake_.get_range_count();

  // The kernel's retry of an overlapping range: the same error, no request.
  auto retry = fs_->Read(open->handle, 16, std::span<char>(buf, 8));
  ASSERT_FALSE(retry.ok());
  EXPECT_EQ(retry.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(fake_.get_range_count(), gets);
  // A range that did not time out is read as usual.
  stalled = false;
  auto elsewhere = fs_->Read(open->handle, 80, std::span<char>(buf, 8));
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_GT(fake_.get_range_count(), gets);

  // After the retry window the same range goes to Swift again.
  clock_.Advance(TimedOutRange::kRetryWindow + std::chrono::seconds(1));
  auto later = fs_->Read(open->handle, 0, buf);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(std::string(buf, *later), std::string(64, 'a'));
  fs_->Release(open->handle);
}

}  // namespace
}  // namespace swiftfs::core
