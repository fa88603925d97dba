// rename(2) against the fake: server-side copy then delete, what Swift holds after, the
// requests it costs, inode numbers kept, the overlay while listings lag, and each error.
#include "filesystem_names_fixture.h"
#include "support/fake_object_client.h"

namespace swiftfs::core {
namespace {

using Op = testing::FakeObjectClient::Op;

Status Move(Filesystem& fs, InodeId from, const std::string& name, InodeId to,
            const std::string& new_name, RenameMode mode = RenameMode::kReplace) {
  return fs.Rename(from, name, to, new_name, mode);
}

ErrorCode CodeOf(const Status& s) { return s.ok() ? ErrorCode::kInternal : s.error().code; }

TEST_F(FilesystemNamesTest, RenameOfAFileCopiesThenDeletesAndKeepsTheInode) {
  fake_.PutObject("c", "f", "data", {.metadata = {{"a", "1"}}});
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  const InodeId d = Ino("d");
  ASSERT_EQ(Names(kRootInode), (std::vector<std::string>{"d", "f"}));
  fake_.ResetCounters();
  ASSERT_TRUE(Move(fs, kRootInode, "f", d, "g").ok());
  auto moved = fake_.Stored("c", "d/g");
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->data, "data");
  EXPECT_EQ(moved->metadata.at("a"), "1");
  EXPECT_FALSE(Stored("f"));
  EXPECT_EQ(fake_.copy_object_count(), 1u);
  EXPECT_EQ(fake_.delete_object_count(), 1u);
  EXPECT_EQ(Writes(), 2u);

  auto looked = fs.Lookup(d, "g");
  ASSERT_TRUE(looked.ok());
  EXPECT_EQ(looked->ino, f);  // the inode moved with its name
  EXPECT_EQ(looked->attr.st_size, 4);
  EXPECT_EQ(ReadFile(f).value(), "data");  // reads go to the new name
  EXPECT_EQ(fs.Lookup(kRootInode, "f").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Names(kRootInode), std::vector<std::string>{"d"});
}

TEST_F(FilesystemNamesTest, RenameCopiesWithIfMatchAndRetriesOnceWhenTheSourceChanged) {
  fake_.PutObject("c", "f", "v1");
  Filesystem& fs = MountWritable();
  ASSERT_NE(Ino("f"), 0u);
  fake_.ResetCounters();
  std::vector<std::string> if_matches;
  fake_.SetFaultHook(Op::kCopyObject,
                     [&](const testing::FakeObjectClient::Call& call) -> std::optional<Error> {
                       if_matches.push_back(call.if_match);
                       if (if_matches.size() == 1)
                         return MakeError(ErrorCode::kPreconditionFailed, "changed", 412);
                       return std::nullopt;
                     });
  ASSERT_TRUE(Move(fs, kRootInode, "f", kRootInode, "g").ok());
  EXPECT_EQ(if_matches, (std::vector<std::string>{testing::Md5Hex("v1"), testing::Md5Hex("v1")}));
  // The source's, the source's again after the 412 (the destination's absence comes from
  // the directory's listing).
  EXPECT_EQ(fake_.head_object_count(), 2u);
  EXPECT_EQ(fake_.Stored("c", "g")->data, "v1");
}

TEST_F(FilesystemNamesTest, RenameReplacesAnExistingFileAndItsOwnSegments) {
  fake_.PutObject("c", "new", "fresh");
  fake_.PutObject("c_segments", "old/swiftfs/u1/0", "aaaa");
  swift::ObjectWrite manifest;
  manifest.container = "c";
  manifest.name = "old";
  ASSERT_TRUE(fake_
                  .UploadManifest(manifest,
                                  {{"c_segments/old/swiftfs/u1/0", testing::Md5Hex("aaaa"), 4, {}}})
                  .ok());
  Filesystem& fs = MountWritable();
  const InodeId replaced = Ino("old");
  const InodeId source = Ino("new");
  ASSERT_TRUE(Move(fs, kRootInode, "new", kRootInode, "old").ok());
  EXPECT_EQ(fake_.Stored("c", "old")->data, "fresh");
  EXPECT_FALSE(fake_.Stored("c", "old")->is_slo);
  EXPECT_TRUE(fake_.ObjectNames("c_segments").empty());  // the replaced file's own segments
  EXPECT_EQ(fake_.ObjectNames("c"), std::vector<std::string>{"old"});
  EXPECT_EQ(fs.Lookup(kRootInode, "old")->ino, source);
  EXPECT_NE(source, replaced);
}

TEST_F(FilesystemNamesTest, RenameOfAnSloCopiesTheManifestAndKeepsItsSegments) {
  fake_.CreateContainer("c");
  fake_.PutObject("c_segments", "big/swiftfs/u1/0", "aaaa");
  swift::ObjectWrite manifest;
  manifest.container = "c";
  manifest.name = "big";
  ASSERT_TRUE(fake_
                  .UploadManifest(manifest,
                                  {{"c_segments/big/swiftfs/u1/0", testing::Md5Hex("aaaa"), 4, {}}})
                  .ok());
  Filesystem& fs = MountWritable();
  ASSERT_NE(Ino("big"), 0u);
  ASSERT_TRUE(Move(fs, kRootInode, "big", kRootInode, "moved").ok());
  auto moved = fake_.Stored("c", "moved");
  ASSERT_TRUE(moved.has_value());
  EXPECT_TRUE(moved->is_slo);
  EXPECT_EQ(moved->data, "aaaa");
  EXPECT_EQ(fake_.ObjectNames("c_segments"), std::vector<std::string>{"big/swiftfs/u1/0"});
  EXPECT_EQ(fake_.Stored("c_segments", "big/swiftfs/u1/0")->data, "aaaa");
}

TEST_F(FilesystemNamesTest, RenameNoReplaceRefusesAnExistingDestination) {
  fake_.PutObject("c", "f", "1");
  fake_.PutObject("c", "g", "2");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "f", kRootInode, "g", RenameMode::kNoReplace)),
            ErrorCode::kExists);
  EXPECT_EQ(Writes(), 0u);
  std::vector<bool> if_none_match;
  fake_.SetFaultHook(Op::kCopyObject,
                     [&](const testing::FakeObjectClient::Call& call) -> std::optional<Error> {
                       if_none_match.push_back(call.if_none_match);
                       return std::nullopt;
                     });
  ASSERT_TRUE(Move(fs, kRootInode, "f", kRootInode, "h", RenameMode::kNoReplace).ok());
  EXPECT_EQ(if_none_match, std::vector<bool>{true});
  EXPECT_EQ(fake_.ObjectNames("c"), (std::vector<std::string>{"g", "h"}));
}

TEST_F(FilesystemNamesTest, RenameErrors) {
  fake_.PutObject("c", "f", "1");
  fake_.PutObject("c", "d/x", "2");
  fake_.PutObject("c", "e/y", "3");
  Filesystem& fs = MountWritable();
  const InodeId d = Ino("d");
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "f", kRootInode, "g", RenameMode::kExchange)),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "f", kRootInode, "d")), ErrorCode::kIsADirectory);
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "d", kRootInode, "f")), ErrorCode::kNotADirectory);
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "d", d, "inside")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "d", kRootInode, "e")), ErrorCode::kNotEmpty);
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "none", kRootInode, "g")), ErrorCode::kNotFound);
  EXPECT_EQ(Writes(), 0u);
  EXPECT_TRUE(Move(fs, kRootInode, "f", kRootInode, "f").ok());  // to itself: nothing
  EXPECT_EQ(Writes(), 0u);
}

TEST_F(FilesystemNamesTest, RenameOfADirectoryMovesEveryObjectAndItsMarker) {
  fake_.PutObject("c", "d/", "", {.content_type = "application/directory"});
  fake_.PutObject("c", "d/a", "A");
  fake_.PutObject("c", "d/s/b", "B");
  fake_.PutObject("c", "other", "O");
  Filesystem& fs = MountWritable();
  const InodeId d = Ino("d");
  const InodeId b = Ino("d/s/b");
  fake_.ResetCounters();
  ASSERT_TRUE(Move(fs, kRootInode, "d", kRootInode, "e").ok());
  EXPECT_EQ(fake_.ObjectNames("c"), (std::vector<std::string>{"e/", "e/a", "e/s/b", "other"}));
  EXPECT_EQ(fake_.Stored("c", "e/s/b")->data, "B");
  EXPECT_EQ(fake_.Stored("c", "e/")->content_type, "application/directory");
  EXPECT_EQ(fake_.copy_object_count(), 3u);
  EXPECT_EQ(fake_.delete_object_count(), 3u);
  EXPECT_EQ(fake_.list_objects_count(), 2u);  // the probe of `e`, the flat listing of d/
  EXPECT_EQ(fs.Lookup(kRootInode, "e")->ino, d);
  EXPECT_EQ(ReadFile(b).value(), "B");  // a known descendant follows its directory
  EXPECT_EQ(LookupPath("e/s/b")->ino, b);
  EXPECT_EQ(fs.Lookup(kRootInode, "d").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"e", "other"}));
  EXPECT_EQ(Names(d), (std::vector<std::string>{"a", "s"}));
}

TEST_F(FilesystemNamesTest, RenameOfADirectoryAboveTheLimitIsCrossDevice) {
  options_.rename_directory_max_objects = 2;
  fake_.PutObject("c", "d/a", "A");
  fake_.PutObject("c", "d/b", "B");
  fake_.PutObject("c", "d/c", "C");
  fake_.PutObject("c", "small/a", "A");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "d", kRootInode, "e")), ErrorCode::kCrossDevice);
  EXPECT_EQ(Writes(), 0u);
  EXPECT_EQ(fake_.ObjectNames("c").size(), 4u);
  EXPECT_TRUE(Move(fs, kRootInode, "small", kRootInode, "moved").ok());
}

TEST_F(FilesystemNamesTest, AFailedDirectoryCopyLeavesTheSourceWhole) {
  fake_.PutObject("c", "d/a", "A");
  fake_.PutObject("c", "d/b", "B");
  Filesystem& fs = MountWritable();
  fake_.SetFaultHook(Op::kCopyObject,
                     [](const testing::FakeObjectClient::Call& call) -> std::optional<Error> {
                       if (call.name == "e/b")
                         return MakeError(ErrorCode::kServerError, "503", 503);
                       return std::nullopt;
                     });
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "d", kRootInode, "e")), ErrorCode::kServerError);
  EXPECT_EQ(fake_.ObjectNames("c"), (std::vector<std::string>{"d/a", "d/b"}));
  EXPECT_EQ(fake_.delete_object_count(), 1u);  // the copy e/a made before
}

TEST_F(FilesystemNamesTest, ARenameIsSeenWhileTheListingLags) {
  fake_.PutObject("c", "f", "data");
  fake_.PutObject("c", "x/y", "Y");
  Filesystem& fs = MountWritable();
  lagging_.Freeze("c");
  ASSERT_TRUE(Move(fs, kRootInode, "f", kRootInode, "g").ok());
  ASSERT_TRUE(Move(fs, kRootInode, "x", kRootInode, "z").ok());
  ExpireListings();
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"g", "z"}));
  auto g = fs.Lookup(kRootInode, "g");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->attr.st_size, 4);
  EXPECT_EQ(LookupPath("z/y").value().attr.st_size, 1);
  EXPECT_EQ(fs.Lookup(kRootInode, "x").error().code, ErrorCode::kNotFound);
  // Swift catches up: the overlay ends, the listing says the same.
  lagging_.Thaw();
  ExpireListings();
  EXPECT_EQ(Names(kRootInode), (std::vector<std::string>{"g", "z"}));
}

TEST_F(FilesystemNamesTest, RenameOfAFileNotInSwiftYetMovesOnlyItsInode) {
  fake_.PutObject("c", "f", "x");
  Filesystem& fs = MountWritable();
  const InodeId f = Ino("f");
  fake_.RemoveObject("c", "f");  // as a file created here whose upload has not committed
  ASSERT_TRUE(Move(fs, kRootInode, "f", kRootInode, "g").ok());
  EXPECT_EQ(fake_.copy_object_count(), 0u);
  EXPECT_EQ(fake_.delete_object_count(), 0u);
  EXPECT_EQ(fs.Lookup(kRootInode, "f").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(fs.GetAttr(f).ok());  // the inode lives on; its upload commits to `g`
}

TEST_F(FilesystemNamesTest, RenameAtTheAccountRootIsCrossDevice) {
  options_.container = "";
  fake_.PutObject("c", "f", "x");
  Filesystem& fs = MountWritable();
  EXPECT_EQ(CodeOf(Move(fs, kRootInode, "c", kRootInode, "d")), ErrorCode::kCrossDevice);
  EXPECT_EQ(CodeOf(Move(fs, Ino("c"), "f", kRootInode, "f")), ErrorCode::kCrossDevice);
  EXPECT_EQ(Writes(), 0u);
}

}  // namespace
}  // namespace swiftfs::core
