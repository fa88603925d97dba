// The version store's file check (PRAGMA quick_check, which reads the whole file) runs on
// the store's thread after Start returned, held back here through the before_check seam:
// lookups meanwhile answer right or nothing, nothing is written until it has passed, a
// damaged file is made anew; a file closed properly is not checked again.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>

#include "unit/cache/version_store_test_util.h"

namespace swiftfs::cache {
namespace {

using testing_util::Fixture;
using testing_util::Key;
using testing_util::Meta;

// Holds the store's check back (DiskVersionStoreOptions::before_check) until Release(): the
// test sees the store as it is while a slow check runs. A hold the test never releases
// ends after a minute, and released_by_test() says so (a Start that waited for its check
// fails the test rather than hanging it).
class CheckHold {
 public:
  CheckHold() : released_(release_.get_future().share()) {}
  std::function<void()> Hook() {
    return [this] {
      reached_.set_value();
      released_by_test_ = released_.wait_for(std::chrono::minutes(1)) == std::future_status::ready;
    };
  }
  // False when the check was not reached within a minute (a store without the seam).
  bool WaitReached() {
    return reached_.get_future().wait_for(std::chrono::minutes(1)) == std::future_status::ready;
  }
  void Release() { release_.set_value(); }
  bool released_by_test() const { return released_by_test_.load(); }

 private:
  std::promise<void> reached_;
  std::promise<void> release_;
  std::shared_future<void> released_;
  std::atomic<bool> released_by_test_{false};
};

TEST(DiskVersionStoreTest, StartDoesNotWaitForTheCheckAndNothingIsWrittenBeforeIt) {
  Fixture f;
  {
    auto store = f.Mount();
    for (int i = 0; i < 20; ++i) store->Put(Key(i), Meta(i));
  }
  f.Sql("DELETE FROM state");  // as a daemon that died leaves it: checked at the next Start
  CheckHold hold;
  DiskVersionStoreOptions options = f.Options();
  options.before_check = hold.Hook();
  DiskVersionMetadataStore store(options, f.logger);
  store.Start("AUTH_a");  // returns with the check still to come
  ASSERT_TRUE(hold.WaitReached());
  EXPECT_FALSE(store.stats().persistent);
  // The open file is read at once: every record is verified on its own.
  EXPECT_EQ(store.Get(Key(3)), Meta(3));
  EXPECT_EQ(store.stats().disk_hits, 1u);
  store.Put(Key(100), Meta(100));
  EXPECT_EQ(store.Get(Key(100)), Meta(100));  // from memory
  EXPECT_EQ(f.Rows(), 20);                    // queued, not written before the check
  hold.Release();
  store.Flush();
  EXPECT_TRUE(hold.released_by_test());
  EXPECT_TRUE(store.stats().persistent);
  EXPECT_EQ(f.Rows(), 21);
  EXPECT_FALSE(f.logger.Contains("unusable"));
}

TEST(DiskVersionStoreTest, ADamagedFileAnswersRightOrNothingThenIsMadeAnew) {
  Fixture f;
  constexpr int kCount = 3000;
  {
    auto store = f.Mount();
    for (int i = 0; i < kCount; ++i) store->Put(Key(i), Meta(i));
  }
  // Not closed properly (as after a crash), everything in the main file.
  f.Sql("DELETE FROM state; PRAGMA wal_checkpoint(TRUNCATE)");
  {
    // Pages in the middle of the file overwritten with bytes that mean nothing (its first
    // pages, the header and the schema, intact: it opens).
    const auto size = std::filesystem::file_size(f.db());
    std::fstream file(f.db(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(size / 3));
    uint32_t x = 12345;
    for (size_t i = 0; i < size / 6; ++i) {
      x = x * 1103515245 + 12345;
      file.put(static_cast<char>(x >> 24));
    }
  }
  CheckHold hold;
  DiskVersionStoreOptions options = f.Options(10);
  options.before_check = hold.Hook();
  auto store = std::make_unique<DiskVersionMetadataStore>(options, f.logger);
  store->Start("AUTH_a");
  ASSERT_TRUE(hold.WaitReached());
  // Before the check: what the file answers is right, or nothing.
  int found = 0;
  for (int i = 0; i < kCount; ++i) {
    if (auto got = store->Get(Key(i))) {
      EXPECT_EQ(*got, Meta(i)) << i;
      ++found;
    }
  }
  EXPECT_LT(found, kCount);  // the damage was seen
  store->Put(Key(kCount), Meta(kCount));
  hold.Release();
  store->Flush();
  EXPECT_TRUE(hold.released_by_test());
  EXPECT_TRUE(f.logger.Contains("unusable")) << f.logger.Joined();
  EXPECT_TRUE(store->stats().persistent);
  // A new file: the damaged one's rows are gone, the put queued during the check is in.
  EXPECT_EQ(f.Rows(), 1);
  store.reset();
  store = f.Mount(10);
  EXPECT_EQ(store->Get(Key(kCount)), Meta(kCount));
  for (int i = 0; i < kCount; i += 7) EXPECT_FALSE(store->Get(Key(i)).has_value()) << i;
}

// A file the last store closed properly is not checked again at Start (the check reads the
// whole file); one whose store did not close it (a crash: the mark cleared at Start stays
// cleared) is.
TEST(DiskVersionStoreTest, OnlyAFileNotClosedProperlyIsChecked) {
  Fixture f;
  f.Mount()->Put(Key(1), Meta(1));
  std::atomic<int> checks{0};
  DiskVersionStoreOptions options = f.Options();
  options.before_check = [&checks] { checks.fetch_add(1); };
  auto started = [&] {
    auto store = std::make_unique<DiskVersionMetadataStore>(options, f.logger);
    store->Start("AUTH_a");
    store->Flush();
    return store;
  };
  auto store = started();
  EXPECT_EQ(checks.load(), 0);
  EXPECT_TRUE(store->stats().persistent);
  EXPECT_EQ(store->Get(Key(1)), Meta(1));
  EXPECT_EQ(f.Sql1("SELECT count(*) FROM state"), 0);  // cleared while in use
  store->Put(Key(2), Meta(2));
  store.reset();
  EXPECT_EQ(f.Sql1("SELECT value FROM state WHERE name = 'closed_cleanly_rows'"), 2);
  f.Sql("DELETE FROM state");  // what a daemon killed while mounted leaves
  store = started();
  EXPECT_EQ(checks.load(), 1);
  EXPECT_TRUE(store->stats().persistent);
  EXPECT_EQ(store->Get(Key(2)), Meta(2));
}

}  // namespace
}  // namespace swiftfs::cache
