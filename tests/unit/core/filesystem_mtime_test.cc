// One mtime per object version, whatever the path (man page, SEMANTICS): with mtime=meta
// X-Object-Meta-Mtime when the version has one, else its Last-Modified (the listing's
// last_modified, a HEAD's X-Timestamp: the same instant); with mtime=server always the
// latter, and no HEAD for it. Each path that hands out attributes is checked: readdirplus
// (then getattr), lookup from a fresh listing (a small directory listed by the lookup
// probe), lookup by requests (a directory too large to hold), getattr after every cache
// expired, and a remount; and each version's metadata is fetched once.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "unit/core/filesystem_fixture.h"

namespace swiftfs::core {
namespace {

using std::chrono::microseconds;
using std::chrono::seconds;
using testing::FakeObjectOptions;

// 2025-03-01 plus a fraction: Last-Modified (whole seconds, rounded up) differs from it.
const swift::WallTime kUploaded =
    swift::WallTime(std::chrono::sys_days{std::chrono::year{2025} / 3 / 1}) + microseconds(123'450);
// X-Object-Meta-Mtime: 1000000000.5 (2001-09-09).
const swift::WallTime kMetaMtime = swift::WallTime(seconds(1'000'000'000)) + microseconds(500'000);

timespec Ts(swift::WallTime t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  return timespec{static_cast<time_t>(ns.count() / 1'000'000'000),
                  static_cast<long>(ns.count() % 1'000'000'000)};
}

bool SameTime(const struct stat& st, swift::WallTime t) {
  const timespec want = Ts(t);
  return st.st_mtim.tv_sec == want.tv_sec && st.st_mtim.tv_nsec == want.tv_nsec;
}

class MtimeTest : public FilesystemTest {
 protected:
  MtimeTest() {
    options_.mtime = MtimeSource::kMeta;
    options_.meta_fetchers = 2;
    // "big" (6 objects) is streamed, so lookups in it go by requests (probe + HEAD).
    options_.stream_directory_entries = 4;
    for (const std::string dir : {"small/", "big/"}) {
      fake_.PutObject("c", dir + "meta", "x",
                      FakeObjectOptions{.last_modified = kUploaded, .meta_mtime = kMetaMtime});
      fake_.PutObject("c", dir + "plain", "y", FakeObjectOptions{.last_modified = kUploaded});
    }
    for (int i = 0; i < 4; ++i) fake_.PutObject("c", "big/z" + std::to_string(i), "z");
  }

  static struct stat EmptyStat() {
    struct stat st {};
    return st;
  }
  // Every time swiftfs can give for `path`'s mtime, by the path the test names.
  struct stat StatByLookup(const std::string& path) {
    auto reply = LookupPath(path);
    EXPECT_TRUE(reply.ok()) << path;
    return reply.ok() ? reply->attr : EmptyStat();
  }
  // `ls -l`: readdirplus, then a getattr for each entry the kernel may not cache.
  std::map<std::string, struct stat> ListLong(const std::string& dir) {
    std::map<std::string, struct stat> out;
    for (const DirEntry& e : ReadAll(Ino(dir), true)) {
      struct stat st = e.entry.attr;
      if (e.entry.attr_timeout.count() == 0) {
        auto attr = fs_->GetAttr(e.entry.ino);
        EXPECT_TRUE(attr.ok()) << e.name;
        if (attr) st = attr->attr;
      }
      out[e.name] = st;
    }
    return out;
  }
  void ExpireEverything() { clock_.Advance(seconds(3600)); }
};

TEST_F(MtimeTest, LookupInASmallDirectoryListedByTheProbe) {
  options_.stream_directory_entries = 1000;
  Mount();
  // The lookup of `small` lists it whole (probe); `meta` and `plain` come from that listing.
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), kMetaMtime));
  EXPECT_TRUE(SameTime(StatByLookup("small/plain"), kUploaded));
  // One probe of small/ per path walk (the root is never listed here), no HEAD but the
  // one per version.
  EXPECT_EQ(fake_.list_objects_count(), 2u);
  EXPECT_EQ(fake_.head_object_count(), 2u);
}

TEST_F(MtimeTest, LookupByRequestsInALargeDirectory) {
  Mount();
  EXPECT_TRUE(SameTime(StatByLookup("big/meta"), kMetaMtime));
  // X-Timestamp, not Last-Modified (kUploaded rounded up to the second).
  EXPECT_TRUE(SameTime(StatByLookup("big/plain"), kUploaded));
}

TEST_F(MtimeTest, ReaddirplusThenGetattr) {
  Mount();
  for (const std::string dir : {"small", "big"}) {
    auto listed = ListLong(dir);
    EXPECT_TRUE(SameTime(listed["meta"], kMetaMtime)) << dir;
    EXPECT_TRUE(SameTime(listed["plain"], kUploaded)) << dir;
  }
}

TEST_F(MtimeTest, ReaddirplusHandsOutAnUnknownVersionUncached) {
  Mount();
  // First listing: nothing known, so the entry must not be cached by the kernel.
  for (const DirEntry& e : ReadAll(Ino("small"), true)) {
    EXPECT_EQ(e.entry.attr_timeout.count(), 0) << e.name;
  }
  EXPECT_EQ(fake_.head_object_count(), 0u);  // readdirplus itself never waits for a HEAD
  ListLong("small");
  // Known now: a later readdirplus hands out the true mtime, cacheable, with no request.
  ExpireEverything();
  const uint64_t heads = fake_.head_object_count();
  for (const DirEntry& e : ReadAll(Ino("small"), true)) {
    EXPECT_GT(e.entry.attr_timeout.count(), 0) << e.name;
    if (e.name == "meta") {
      EXPECT_TRUE(SameTime(e.entry.attr, kMetaMtime));
    }
  }
  EXPECT_EQ(fake_.head_object_count(), heads);
}

TEST_F(MtimeTest, GetattrAfterEveryCacheExpired) {
  Mount();
  const InodeId meta = Ino("small/meta");
  const InodeId big_plain = Ino("big/plain");
  ExpireEverything();
  auto a = fs_->GetAttr(meta);
  auto b = fs_->GetAttr(big_plain);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(SameTime(a->attr, kMetaMtime));
  EXPECT_TRUE(SameTime(b->attr, kUploaded));
}

TEST_F(MtimeTest, SameAnswerAfterARemount) {
  Mount();
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), kMetaMtime));
  fs_.reset();  // a new mount: nothing remembered
  Mount();
  EXPECT_TRUE(SameTime(ListLong("small")["meta"], kMetaMtime));
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), kMetaMtime));
  EXPECT_TRUE(SameTime(StatByLookup("big/meta"), kMetaMtime));
  EXPECT_TRUE(SameTime(StatByLookup("big/plain"), kUploaded));
}

TEST_F(MtimeTest, OneHeadPerVersionWhateverThePath) {
  Mount();
  ListLong("small");
  EXPECT_EQ(fake_.head_object_count(), 2u);
  // Lookups, getattr after expiry, a new listing, xattrs: the versions are known.
  ExpireEverything();
  ListLong("small");
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), kMetaMtime));
  EXPECT_EQ(*fs_->GetXattr(Ino("small/meta"), "user.swift.content_type"),
            "application/octet-stream");
  EXPECT_EQ(fake_.head_object_count(), 2u);
  // A new version (same bytes, new timestamp and mtime) costs one HEAD and shows its mtime.
  const swift::WallTime touched = kMetaMtime + seconds(5);
  fake_.PutObject(
      "c", "small/meta", "x",
      FakeObjectOptions{.last_modified = kUploaded + seconds(60), .meta_mtime = touched});
  ExpireEverything();
  EXPECT_TRUE(SameTime(ListLong("small")["meta"], touched));
  EXPECT_EQ(fake_.head_object_count(), 3u);
}

TEST_F(MtimeTest, ManyEntriesAreFetchedAheadOnceEach) {
  for (int i = 0; i < 300; ++i) {
    fake_.PutObject("c", "many/f" + std::to_string(1000 + i), "x",
                    FakeObjectOptions{.last_modified = kUploaded, .meta_mtime = kMetaMtime});
  }
  options_.stream_directory_entries = 1000;
  Mount();
  for (const auto& [name, st] : ListLong("many")) EXPECT_TRUE(SameTime(st, kMetaMtime)) << name;
  EXPECT_EQ(fake_.head_object_count(), 300u);
}

TEST_F(MtimeTest, AStreamedDirectoryIsFetchedAheadOfItsStatsOnceEach) {
  for (int i = 0; i < 300; ++i) {
    fake_.PutObject("c", "many/f" + std::to_string(1000 + i), "x",
                    FakeObjectOptions{.last_modified = kUploaded, .meta_mtime = kMetaMtime});
  }
  // No cached listing: the stats find their neighbours in what readdirplus handed out
  // (filesystem_streamed_meta_test.cc).
  options_.stream_directory_entries = 100;
  Mount();
  const auto listed = ListLong("many");
  EXPECT_EQ(listed.size(), 300u);
  for (const auto& [name, st] : listed) EXPECT_TRUE(SameTime(st, kMetaMtime)) << name;
  EXPECT_EQ(fake_.head_object_count(), 300u);
}

TEST_F(MtimeTest, ListingExpiredDuringAnLsMinusL) {
  // `ls -l` slower than dir_cache_timeout: the readdirplus entries' listing expires before
  // their stats; each stat revalidates (joining the HEAD readdirplus queued when it is
  // still pending) and still shows the version's X-Object-Meta-Mtime.
  for (int i = 0; i < 200; ++i) {
    fake_.PutObject("c", "many/f" + std::to_string(1000 + i), "x",
                    FakeObjectOptions{.last_modified = kUploaded, .meta_mtime = kMetaMtime});
  }
  options_.stream_directory_entries = 1000;
  Mount();
  const InodeId dir = Ino("many");
  auto handle = fs_->OpenDir(dir);
  ASSERT_TRUE(handle.ok());
  std::vector<InodeId> inos;
  for (uint64_t offset = 0;;) {  // a kernel buffer of 25 entries per readdirplus
    size_t got = 0;
    ASSERT_TRUE(fs_->ReadDir(dir, *handle, offset, true,
                             [&](const DirEntry& e) {
                               if (got == 25) return false;
                               ++got;
                               offset = e.next_offset;
                               if (e.name != "." && e.name != "..") inos.push_back(e.entry.ino);
                               return true;
                             })
                    .ok());
    if (got == 0) break;
  }
  fs_->ReleaseDir(*handle);
  ASSERT_EQ(inos.size(), 200u);
  ExpireEverything();
  for (InodeId ino : inos) {
    auto attr = fs_->GetAttr(ino);
    ASSERT_TRUE(attr.ok());
    EXPECT_TRUE(SameTime(attr->attr, kMetaMtime));
  }
}

TEST_F(MtimeTest, ServerModeNeverHeadsForAnMtime) {
  options_.mtime = MtimeSource::kServer;
  Mount();
  auto listed = ListLong("small");
  EXPECT_TRUE(SameTime(listed["meta"], kUploaded));
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), kUploaded));
  EXPECT_EQ(fake_.head_object_count(), 0u);
  // By requests (HEAD to tell a file from nothing): X-Timestamp, the listing's instant.
  EXPECT_TRUE(SameTime(StatByLookup("big/meta"), kUploaded));
  EXPECT_TRUE(SameTime(ListLong("big")["meta"], kUploaded));
}

TEST_F(MtimeTest, XattrsFollowTheVersion) {
  fake_.PutObject(
      "c", "small/meta", "x",
      FakeObjectOptions{
          .content_type = "text/x-a", .last_modified = kUploaded, .metadata = {{"color", "blue"}}});
  Mount();
  const InodeId f = Ino("small/meta");
  EXPECT_EQ(*fs_->GetXattr(f, "user.swift.meta.color"), "blue");
  fake_.PutObject("c", "small/meta", "x",
                  FakeObjectOptions{.content_type = "text/x-b",
                                    .last_modified = kUploaded + seconds(1),
                                    .metadata = {{"color", "red"}}});
  ExpireEverything();
  EXPECT_EQ(*fs_->GetXattr(f, "user.swift.meta.color"), "red");
  EXPECT_EQ(*fs_->GetXattr(f, "user.swift.content_type"), "text/x-b");
}

TEST_F(MtimeTest, UtimensOfAClosedFileIsShownAtOnceByTheListingHeld) {
  // touch -d of a file nobody has open: a POST, which makes a new version of the object.
  // The listing swiftfs holds (and a lagging Swift listing) still names the old version,
  // whose X-Object-Meta-Mtime is remembered: without recording the new version, `ls -l`
  // showed the old mtime (cacheable) until the listing expired.
  options_.read_only = false;
  options_.stream_directory_entries = 1000;  // small/ is listed and held
  Mount();
  EXPECT_TRUE(SameTime(ListLong("small")["meta"], kMetaMtime));
  const swift::WallTime touched = kMetaMtime + seconds(7);
  fake_.SetNow(kUploaded + seconds(60));  // the POST's timestamp
  SetAttrRequest times;
  times.mtime = Ts(touched);
  auto attr = fs_->SetAttr(Ino("small/meta"), times, std::nullopt);
  ASSERT_TRUE(attr.ok()) << attr.error().ToString();
  EXPECT_TRUE(SameTime(attr->attr, touched));
  EXPECT_TRUE(SameTime(ListLong("small")["meta"], touched));
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), touched));
  ExpireEverything();
  EXPECT_TRUE(SameTime(ListLong("small")["meta"], touched));
  EXPECT_TRUE(SameTime(StatByLookup("small/meta"), touched));
}

}  // namespace
}  // namespace swiftfs::core
