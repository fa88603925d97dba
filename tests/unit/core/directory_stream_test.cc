#include "core/directory_stream.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectClient;

constexpr size_t kPage = 100;
constexpr size_t kThreshold = 250;

std::string Numbered(int i) {
  char name[32];
  std::snprintf(name, sizeof name, "d/f%06d", i);
  return name;
}

class DirectoryStreamTest : public ::testing::Test {
 protected:
  DirectoryStreamTest() : fetcher_(fake_, clock_, false) { fetcher_.set_page_limit(kPage); }

  Result<ListingChunk> Start() {
    return fetcher_.ListDirectoryUpTo("c", "d/", nullptr, kThreshold);
  }
  DirectoryStream Open() {
    auto first = Start();
    EXPECT_TRUE(first.ok());
    return DirectoryStream(fetcher_, std::move(*first), [this] { return Start(); });
  }
  // Names from `from` to the end; checks the memory bound after every step.
  std::vector<std::string> ReadFrom(DirectoryStream& stream, uint64_t from) {
    std::vector<std::string> names;
    for (uint64_t i = from;; ++i) {
      auto entry = stream.At(i);
      EXPECT_TRUE(entry.ok());
      if (!entry.ok() || !*entry) break;
      names.push_back((*entry)->name);
      EXPECT_LE(stream.held_entries(), kThreshold + kPage) << "at entry " << i;
    }
    return names;
  }

  FakeObjectClient fake_;
  testing::FakeClock clock_;
  ListingFetcher fetcher_;
};

TEST_F(DirectoryStreamTest, ASmallDirectoryIsHeldWholeAndNeverListedAgain) {
  for (int i = 0; i < 200; ++i) fake_.PutObject("c", Numbered(i), "x");
  DirectoryStream stream = Open();
  EXPECT_FALSE(stream.streamed());
  fake_.ResetCounters();
  EXPECT_EQ(ReadFrom(stream, 0).size(), 200u);
  EXPECT_EQ(ReadFrom(stream, 0).size(), 200u);
  EXPECT_EQ(fake_.list_objects_count(), 0u);
}

TEST_F(DirectoryStreamTest, AHugeDirectoryIsReadWithinTheMemoryBound) {
  for (int i = 0; i < 1000; ++i) fake_.PutObject("c", Numbered(i), "x");
  DirectoryStream stream = Open();
  EXPECT_TRUE(stream.streamed());
  EXPECT_LE(stream.held_entries(), kThreshold + kPage);
  EXPECT_EQ(fake_.list_objects_count(), 3u);
  const std::vector<std::string> names = ReadFrom(stream, 0);
  ASSERT_EQ(names.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ("d/" + names[i], Numbered(i));
  EXPECT_EQ(fake_.list_objects_count(), 11u);
}

TEST_F(DirectoryStreamTest, AnIndexBeforeTheChunkListsAgainAndSkipsForward) {
  for (int i = 0; i < 1000; ++i) fake_.PutObject("c", Numbered(i), "x");
  DirectoryStream stream = Open();
  const std::vector<std::string> all = ReadFrom(stream, 0);
  ASSERT_EQ(all.size(), 1000u);
  fake_.ResetCounters();
  auto entry = stream.At(600);  // seekdir back, past the first chunk
  ASSERT_TRUE(entry.ok());
  ASSERT_NE(*entry, nullptr);
  EXPECT_EQ((*entry)->name, all[600]);
  EXPECT_GT(stream.chunk_first(), 0u);
  EXPECT_EQ(fake_.list_objects_count(), 7u);  // pages 1-7 of 10: entries up to 699
  EXPECT_EQ(ReadFrom(stream, 0), all);        // rewind
}

TEST_F(DirectoryStreamTest, AFailedFetchLeavesTheStreamWhereItWas) {
  for (int i = 0; i < 1000; ++i) fake_.PutObject("c", Numbered(i), "x");
  DirectoryStream stream = Open();
  const uint64_t end_of_first = stream.chunk().size();
  fake_.FailNext(FakeObjectClient::Op::kListObjects, 1,
                 MakeError(ErrorCode::kServerError, "503", 503));
  auto failed = stream.At(end_of_first);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kServerError);
  EXPECT_EQ(stream.chunk_first(), 0u);
  auto last = stream.At(end_of_first - 1);  // still served from the chunk, no request
  ASSERT_TRUE(last.ok());
  ASSERT_NE(*last, nullptr);
  EXPECT_EQ((*last)->name, "f000248");
  EXPECT_EQ(ReadFrom(stream, end_of_first).size(), 1000u - end_of_first);
}

}  // namespace
}  // namespace swiftfs::core
