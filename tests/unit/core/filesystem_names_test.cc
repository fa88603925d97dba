// mkdir, rmdir, unlink and the xattr writes against the fake: what each leaves in Swift,
// what it costs in requests, what lookups and readdirs see right after (also while
// Swift's listings lag), and each error.
#include <sys/xattr.h>

#include <algorithm>
#include <thread>

#include "filesystem_names_fixture.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

using Op = testing::FakeObjectClient::Op;

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// --- read-only mounts ---

TEST_F(FilesystemNamesTest, EveryNamespaceOperationIsReadOnlyBeforeAnyRequest) {
  options_.read_only = true;
  fake_.PutObject("c", "f", "x");
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  fake_.ResetCounters();
  auto code = [](const Status& s) { return s.ok() ? ErrorCode::kInternal : s.error().code; };
  EXPECT_EQ(fs.MkDir(kRootInode, "new", 0755).error().code, ErrorCode::kReadOnly);
  EXPECT_EQ(code(fs.RmDir(kRootInode, "d")), ErrorCode::kReadOnly);
  EXPECT_EQ(code(fs.Unlink(kRootInode, "f")), ErrorCode::kReadOnly);
  EXPECT_EQ(code(fs.Rename(kRootInode, "f", kRootInode, "g", RenameMode::kReplace)),
            ErrorCode::kReadOnly);
  EXPECT_EQ(code(fs.SetXattr(f, "user.swift.meta.a", "1", 0)), ErrorCode::kReadOnly);
  EXPECT_EQ(code(fs.RemoveXattr(f, "user.swift.meta.a")), ErrorCode::kReadOnly);
  EXPECT_EQ(fake_.total_count(), 0u);
}

// --- mkdir ---

TEST_F(FilesystemNamesTest, MkDirPutsADirectoryMarkerAndShowsItAtOnce) {
  fake_.PutObject("c", "a", "x");
  Filesystem& fs = MountWritable();
  ASSERT_EQ(Names(kRootInode), std::vector<std::string>{"a"});  // cached listing
  fake_.ResetCounters();
  auto made = fs.MkDir(kRootInode, "d", 0755);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_TRUE(S_ISDIR(made->attr.st_mode));
  auto marker = fake_.Stored("c", "d/");
  ASSERT_TRUE(marker.has_value());
  EXPECT_EQ(marker->content_type, "application/directory");
  EXPECT_EQ(marker->data, "");
  EXPECT_EQ(fake_.upload_object_count(), 1u);
  EXPECT_EQ(Writes(), 1u);
  EXPECT_EQ(fake_.total_count(), 1u);  // the cached listing said "no such name"

  auto looked = fs.Lookup(kRootInode, "d");
  ASSERT_TRUE(looked.ok());
  EXPECT_EQ(looked->ino, made->ino);
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"a", "d"}));
  EXPECT_TRUE(Names(made->ino).empty());
  EXPECT_EQ(fake_.total_count(), 2u);  // only the new directory's own listing
}

TEST_F(FilesystemNamesTest, MkDirOfAnExistingNameIsExists) {
  fake_.PutObject("c", "f", "x");
  fake_.PutObject("c", "d/x", "x");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(fs.MkDir(kRootInode, "f", 0755).error().code, ErrorCode::kExists);
  EXPECT_EQ(fs.MkDir(kRootInode, "d", 0755).error().code, ErrorCode::kExists);
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(FilesystemNamesTest, MkDirInAFileIsNotADirectory) {
  fake_.PutObject("c", "f", "x");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(fs.MkDir(Ino("f"), "d", 0755).error().code, ErrorCode::kNotADirectory);
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(FilesystemNamesTest, MkDirAtTheAccountRootCreatesAContainer) {
  options_.container = "";
  fake_.CreateContainer("c");
  Filesystem& fs = MountWritable();
  ASSERT_EQ(Names(kRootInode), std::vector<std::string>{"c"});
  auto made = fs.MkDir(kRootInode, "new", 0755);
  ASSERT_TRUE(made.ok()) << made.error().ToString();
  EXPECT_TRUE(fake_.HasContainer("new"));
  EXPECT_EQ(fake_.put_container_count(), 1u);
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"c", "new"}));
  EXPECT_EQ(fs.MkDir(kRootInode, "c", 0755).error().code, ErrorCode::kExists);
}

TEST_F(FilesystemNamesTest, ANewDirectoryIsListedWhileSwiftsListingLags) {
  fake_.PutObject("c", "a", "x");
  Filesystem& fs = MountWritable();
  lagging_.Freeze("c");
  ASSERT_TRUE(fs.MkDir(kRootInode, "d", 0755).ok());
  ExpireListings();
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"a", "d"}));  // listed again, lagging
  fake_.ResetCounters();
  EXPECT_TRUE(LookupPath("d").ok());
  EXPECT_EQ(fake_.head_object_count(), 0u);
  // Swift catches up: the overlay ends, the listing says the same.
  lagging_.Thaw();
  ExpireListings();
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"a", "d"}));
}

// --- rmdir ---

TEST_F(FilesystemNamesTest, RmDirDeletesTheMarker) {
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  Filesystem& fs = MountWritable();
  const InodeId d = Ino("d");
  ASSERT_NE(d, 0u);
  fake_.ResetCounters();
  ASSERT_TRUE(fs.RmDir(kRootInode, "d").ok());
  EXPECT_FALSE(Stored("d/"));
  EXPECT_EQ(fake_.list_objects_count(), 1u);  // the emptiness check
  EXPECT_EQ(fake_.delete_object_count(), 1u);
  EXPECT_EQ(fs.Lookup(kRootInode, "d").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(Names(kRootInode).empty());
}

TEST_F(FilesystemNamesTest, RmDirOfANonEmptyDirectoryIsNotEmpty) {
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  fake_.PutObject("c", "d/x", "x");
  Filesystem& fs = MountWritable();
  ASSERT_NE(Ino("d"), 0u);
  EXPECT_EQ(fs.RmDir(kRootInode, "d").error().code, ErrorCode::kNotEmpty);
  EXPECT_EQ(Writes(), 0u);
  EXPECT_TRUE(Stored("d/"));
  const swift::ListRequest last =
      fake_.list_requests().back();  // a copy: the vector is a temporary
  EXPECT_EQ(last.prefix, "d/");
  EXPECT_EQ(last.limit, 2u);
  EXPECT_FALSE(last.delimiter.has_value());
}

TEST_F(FilesystemNamesTest, RmDirOfAFileOrNothing) {
  fake_.PutObject("c", "f", "x");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(fs.RmDir(kRootInode, "f").error().code, ErrorCode::kNotADirectory);
  EXPECT_EQ(fs.RmDir(kRootInode, "none").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(FilesystemNamesTest, RmDirOfAnEmptiedPseudoDirectoryAndOfAMarkerWithoutSlash) {
  fake_.PutObject("c", "p/x", "x");  // a pseudo-directory: no marker
  fake_.PutObject("c", "m", "", {.content_type = "application/directory"});  // another client's
  Filesystem& fs = MountWritable();
  const InodeId p = Ino("p");
  ASSERT_TRUE(fs.Unlink(p, "x").ok());
  ASSERT_TRUE(fs.RmDir(kRootInode, "p").ok());
  EXPECT_EQ(fs.Lookup(kRootInode, "p").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(LookupPath("m").ok());
  ASSERT_TRUE(fs.RmDir(kRootInode, "m").ok());
  EXPECT_FALSE(Stored("m"));
  EXPECT_TRUE(fake_.ObjectNames("c").empty());
}

TEST_F(FilesystemNamesTest, RmDirAfterRemovingEverythingWhileTheListingLags) {
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  fake_.PutObject("c", "d/x", "x");
  fake_.PutObject("c", "d/s/", "", {.content_type = "application/directory"});
  fake_.PutObject("c", "d/s/y", "y");
  Filesystem& fs = MountWritable();
  lagging_.Freeze("c");  // rm -r: every delete lands, no listing shows it yet
  const InodeId d = Ino("d");
  const InodeId s = Ino("d/s");
  ASSERT_TRUE(fs.Unlink(s, "y").ok());
  ASSERT_TRUE(fs.RmDir(d, "s").ok());
  ASSERT_TRUE(fs.Unlink(d, "x").ok());
  Status removed = fs.RmDir(kRootInode, "d");
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_TRUE(fake_.ObjectNames("c").empty());
  ExpireListings();
  EXPECT_TRUE(Names(kRootInode).empty());  // the lagging listing still shows d: hidden
}

TEST_F(FilesystemNamesTest, RmDirSeesWhatWasJustWrittenThoughNotListed) {
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  Filesystem& fs = MountWritable();
  lagging_.Freeze("c");
  ASSERT_TRUE(fs.MkDir(Ino("d"), "sub", 0755).ok());  // not listed: the overlay knows
  EXPECT_EQ(fs.RmDir(kRootInode, "d").error().code, ErrorCode::kNotEmpty);
}

TEST_F(FilesystemNamesTest, RmDirAtTheAccountRootDeletesAnEmptyContainer) {
  options_.container = "";
  fake_.CreateContainer("empty");
  fake_.PutObject("full", "x", "x");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(fs.RmDir(kRootInode, "full").error().code, ErrorCode::kNotEmpty);
  EXPECT_TRUE(fake_.HasContainer("full"));
  ASSERT_TRUE(fs.RmDir(kRootInode, "empty").ok());
  EXPECT_FALSE(fake_.HasContainer("empty"));
  EXPECT_EQ(Names(kRootInode), std::vector<std::string>{"full"});
}

// --- unlink ---

TEST_F(FilesystemNamesTest, UnlinkDeletesTheObject) {
  fake_.PutObject("c", "f", "x");
  fake_.PutObject("c", "g", "y");
  Filesystem& fs = MountWritable();
  ASSERT_EQ(Names(kRootInode), (std::vector<std::string>{"f", "g"}));
  fake_.ResetCounters();
  ASSERT_TRUE(fs.Unlink(kRootInode, "f").ok());
  EXPECT_FALSE(Stored("f"));
  EXPECT_EQ(fake_.head_object_count(), 1u);
  EXPECT_EQ(fake_.delete_object_count(), 1u);
  EXPECT_EQ(fake_.total_count(), 2u);
  EXPECT_EQ(fs.Lookup(kRootInode, "f").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Names(kRootInode), std::vector<std::string>{"g"});
  EXPECT_EQ(fake_.total_count(), 2u);  // from the cached listing, updated
}

TEST_F(FilesystemNamesTest, UnlinkOfADirectoryOrNothing) {
  fake_.PutObject("c", "d/x", "x");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(fs.Unlink(kRootInode, "d").error().code, ErrorCode::kIsADirectory);
  EXPECT_EQ(fs.Unlink(kRootInode, "none").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(FilesystemNamesTest, AnUnlinkedFileStaysHiddenWhileTheListingLags) {
  fake_.PutObject("c", "f", "x");
  fake_.PutObject("c", "g", "y");
  Filesystem& fs = MountWritable();
  lagging_.Freeze("c");
  ASSERT_TRUE(fs.Unlink(kRootInode, "f").ok());
  ExpireListings();
  EXPECT_EQ(Names(kRootInode), std::vector<std::string>{"g"});
  fake_.ResetCounters();
  EXPECT_EQ(fs.Lookup(kRootInode, "f").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.total_count(), 0u);
}

// An SLO at c/big: segments under `segments_prefix` + 0 and 1.
void PutSlo(testing::FakeObjectClient& fake, const std::string& name,
            const std::string& segments_prefix) {
  std::vector<swift::SloSegment> segments;
  for (int i = 0; i < 2; ++i) {
    const std::string segment = segments_prefix + std::to_string(i);
    const std::string data(4, static_cast<char>('a' + i));
    fake.PutObject("c_segments", segment, data);
    segments.push_back({"c_segments/" + segment, testing::Md5Hex(data), data.size(), {}});
  }
  swift::ObjectWrite write;
  write.container = "c";
  write.name = name;
  ASSERT_TRUE(fake.UploadManifest(write, segments).ok());
}

TEST_F(FilesystemNamesTest, UnlinkOfAnSloDeletesItsOwnSegments) {
  fake_.CreateContainer("c");
  PutSlo(fake_, "big", "big/swiftfs/u1/");
  Filesystem& fs = MountWritable();
  ASSERT_TRUE(fs.Unlink(kRootInode, "big").ok());
  EXPECT_FALSE(Stored("big"));
  EXPECT_TRUE(fake_.ObjectNames("c_segments").empty());
}

TEST_F(FilesystemNamesTest, UnlinkOfAnSloKeepsSegmentsThatAreNotItsOwn) {
  fake_.CreateContainer("c");
  PutSlo(fake_, "big", "big/1700000000/");    // swift upload's layout: maybe shared
  PutSlo(fake_, "other", "big/swiftfs/u1/");  // another file's name under swiftfs/
  Filesystem& fs = MountWritable();
  ASSERT_TRUE(fs.Unlink(kRootInode, "big").ok());
  ASSERT_TRUE(fs.Unlink(kRootInode, "other").ok());
  EXPECT_FALSE(Stored("big"));
  EXPECT_EQ(fake_.ObjectNames("c_segments").size(), 4u);
}

// --- extended attributes ---

TEST_F(FilesystemNamesTest, SetXattrSetsSwiftMetadataAndKeepsTheRest) {
  fake_.PutObject("c", "f", "x", {.metadata = {{"a", "1"}, {"mtime", "1700000000.5"}}});
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  ASSERT_EQ(fs.GetXattr(f, "user.swift.meta.a").value(), "1");  // HEAD cached
  fake_.ResetCounters();
  ASSERT_TRUE(fs.SetXattr(f, "user.swift.meta.B", "two", 0).ok());
  // The metadata to keep, then the new version the POST made.
  EXPECT_EQ(fake_.head_object_count(), 2u);
  EXPECT_EQ(fake_.post_object_count(), 1u);
  auto stored = fake_.Stored("c", "f");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->metadata, (std::map<std::string, std::string>{
                                  {"a", "1"}, {"b", "two"}, {"mtime", "1700000000.5"}}));
  EXPECT_EQ(stored->data, "x");
  EXPECT_EQ(fs.GetXattr(f, "user.swift.meta.b").value(), "two");  // not the cached HEAD
}

TEST_F(FilesystemNamesTest, SetXattrHonoursCreateAndReplace) {
  fake_.PutObject("c", "f", "x", {.metadata = {{"a", "1"}}});
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  EXPECT_EQ(fs.SetXattr(f, "user.swift.meta.a", "2", XATTR_CREATE).error().code,
            ErrorCode::kExists);
  EXPECT_EQ(fs.SetXattr(f, "user.swift.meta.b", "2", XATTR_REPLACE).error().code,
            ErrorCode::kNoData);
  EXPECT_EQ(fake_.post_object_count(), 0u);
  EXPECT_TRUE(fs.SetXattr(f, "user.swift.meta.a", "2", XATTR_REPLACE).ok());
  EXPECT_TRUE(fs.SetXattr(f, "user.swift.meta.b", "3", XATTR_CREATE).ok());
  EXPECT_EQ(fake_.Stored("c", "f")->metadata,
            (std::map<std::string, std::string>{{"a", "2"}, {"b", "3"}}));
}

TEST_F(FilesystemNamesTest, OtherXattrsAreNotSupportedWithoutARequest) {
  fake_.PutObject("c", "f", "x");
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  fake_.ResetCounters();
  for (const char* name : {"user.swift.etag", "user.other", "security.selinux", "trusted.x"}) {
    EXPECT_EQ(fs.SetXattr(f, name, "v", 0).error().code, ErrorCode::kNotSupported) << name;
    EXPECT_EQ(fs.RemoveXattr(f, name).error().code, ErrorCode::kNotSupported) << name;
  }
  EXPECT_EQ(fs.SetXattr(f, "user.swift.meta.", "v", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fs.SetXattr(f, "user.swift.meta.a:b", "v", 0).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fs.SetXattr(f, "user.swift.meta.a", "line\nbreak", 0).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake_.total_count(), 0u);
}

TEST_F(FilesystemNamesTest, RemoveXattrRemovesOneAndKeepsTheRest) {
  fake_.PutObject("c", "f", "x", {.metadata = {{"a", "1"}, {"b", "2"}}});
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  ASSERT_TRUE(fs.RemoveXattr(f, "user.swift.meta.a").ok());
  EXPECT_EQ(fake_.Stored("c", "f")->metadata, (std::map<std::string, std::string>{{"b", "2"}}));
  EXPECT_EQ(fs.RemoveXattr(f, "user.swift.meta.a").error().code, ErrorCode::kNoData);
  EXPECT_EQ(fake_.post_object_count(), 1u);
}

// --- concurrency (TSan: scripts/test runs this binary in a ThreadSanitizer build) ---

TEST_F(FilesystemNamesTest, ConcurrentNamespaceChangesAndReaddirs) {
  for (int i = 0; i < 20; ++i) fake_.PutObject("c", "f" + std::to_string(i), "x");
  Filesystem& fs = MountWritable();
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(fs.Unlink(kRootInode, "f" + std::to_string(i)).ok());
  });
  threads.emplace_back([&] {
    for (int i = 0; i < 10; ++i)
      EXPECT_TRUE(fs.MkDir(kRootInode, "d" + std::to_string(i), 0755).ok());
  });
  threads.emplace_back([&] {
    for (int i = 10; i < 20; ++i) {
      EXPECT_TRUE(fs.Rename(kRootInode, "f" + std::to_string(i), kRootInode,
                            "g" + std::to_string(i), RenameMode::kReplace)
                      .ok());
    }
  });
  threads.emplace_back([&] {
    for (int i = 0; i < 10; ++i) (void)Names(kRootInode);
  });
  for (std::thread& thread : threads) thread.join();
  const std::vector<std::string> names = Names(kRootInode);
  EXPECT_EQ(names.size(), 20u);
  EXPECT_TRUE(Has(names, "d9"));
  EXPECT_TRUE(Has(names, "g19"));
  EXPECT_FALSE(Has(names, "f0"));
}

}  // namespace
}  // namespace swiftfs::core
