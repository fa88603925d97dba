// The fake's write verbs must refuse what Swift refuses, with the codes SwiftClient gives
// Swift's answers, or the write path's tests prove nothing about the real server.
#include <gtest/gtest.h>

#include "support/fake_object_client.h"

namespace swiftfs::testing {
namespace {

using swift::DeleteMode;
using swift::ObjectWrite;
using swift::SloSegment;
using Op = FakeObjectClient::Op;

std::span<const char> Bytes(std::string_view text) { return {text.data(), text.size()}; }

ObjectWrite Write(std::string name, std::string etag = {}) {
  ObjectWrite write;
  write.container = "c";
  write.name = std::move(name);
  write.etag = std::move(etag);
  return write;
}

SloSegment Segment(const std::string& name, std::string_view data) {
  return SloSegment{.path = "segs/" + name,
                    .etag = Md5Hex(data),
                    .size_bytes = data.size(),
                    .range = std::nullopt};
}

class FakeWritesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.CreateContainer("c");
    fake_.CreateContainer("segs");
  }
  // Three segments segs/s0..s2 holding "aaaa", "bbbb", "cc"; returns their manifest.
  std::vector<SloSegment> UploadSegments() {
    std::vector<SloSegment> segments;
    const char* data[] = {"aaaa", "bbbb", "cc"};
    for (int i = 0; i < 3; ++i) {
      const std::string name = "s" + std::to_string(i);
      ObjectWrite write = Write(name);
      write.container = "segs";
      EXPECT_TRUE(fake_.UploadObject(write, Bytes(data[i])).ok());
      segments.push_back(Segment(name, data[i]));
    }
    return segments;
  }
  FakeObjectClient fake_;
};

TEST_F(FakeWritesTest, UploadStoresDataMetadataAndTime) {
  const swift::WallTime now =
      std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} + std::chrono::milliseconds(1500);
  fake_.SetNow(now);
  ObjectWrite write = Write("o", Md5Hex("hello"));
  write.content_type = "text/plain";
  write.metadata = {{"Mtime", "1700000000.5"}, {"color", "blue"}};
  auto result = fake_.UploadObject(write, Bytes("hello"));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, Md5Hex("hello"));
  EXPECT_EQ(result->last_modified, now + std::chrono::milliseconds(500));  // rounded up

  auto head = fake_.HeadObject("c", "o");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 5u);
  EXPECT_EQ(head->content_type, "text/plain");
  EXPECT_EQ(head->metadata.at("mtime"), "1700000000.5");  // names lower-cased
  EXPECT_EQ(head->metadata.at("color"), "blue");
  ASSERT_TRUE(head->meta_mtime.has_value());
  EXPECT_EQ(*head->meta_mtime, swift::WallTime(std::chrono::milliseconds(1700000000500)));
  EXPECT_EQ(fake_.upload_object_count(), 1u);
  EXPECT_EQ(fake_.bytes_uploaded(), 5u);
}

TEST_F(FakeWritesTest, UploadWithoutContentTypeIsOctetStream) {
  ASSERT_TRUE(fake_.UploadObject(Write("o"), Bytes("x")).ok());
  EXPECT_EQ(fake_.Stored("c", "o")->content_type, "application/octet-stream");
}

TEST_F(FakeWritesTest, UploadWithWrongEtagIsRefusedAndStoresNothing) {
  auto result = fake_.UploadObject(Write("o", Md5Hex("other")), Bytes("hello"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kChecksumMismatch);
  EXPECT_EQ(result.error().http_status, 422);
  EXPECT_FALSE(fake_.Stored("c", "o").has_value());
  EXPECT_EQ(fake_.bytes_uploaded(), 0u);
}

TEST_F(FakeWritesTest, UploadEtagIsCaseInsensitive) {
  std::string upper = Md5Hex("hello");
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_TRUE(fake_.UploadObject(Write("o", upper), Bytes("hello")).ok());
}

TEST_F(FakeWritesTest, IfNoneMatchRefusesAnExistingName) {
  ObjectWrite write = Write("o");
  write.if_none_match = true;
  ASSERT_TRUE(fake_.UploadObject(write, Bytes("first")).ok());
  auto again = fake_.UploadObject(write, Bytes("second"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kExists);
  EXPECT_EQ(fake_.Stored("c", "o")->data, "first");
}

TEST_F(FakeWritesTest, UploadIntoMissingContainerIsNotFound) {
  ObjectWrite write = Write("o");
  write.container = "nope";
  auto result = fake_.UploadObject(write, Bytes("x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fake_.HasContainer("nope"));
}

TEST_F(FakeWritesTest, SizeAndQuotaLimits) {
  swift::ClusterInfo info;
  info.max_file_size = 4;
  fake_.SetClusterInfo(info);
  auto big = fake_.UploadObject(Write("o"), Bytes("12345"));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);

  fake_.SetClusterInfo({});
  fake_.SetQuota(6);
  ASSERT_TRUE(fake_.UploadObject(Write("a"), Bytes("1234")).ok());
  auto over = fake_.UploadObject(Write("b"), Bytes("123"));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kQuotaExceeded);
  EXPECT_EQ(over.error().http_status, 413);
}

TEST_F(FakeWritesTest, ManifestAssemblesSegmentsWithSwiftsEtag) {
  auto segments = UploadSegments();
  auto result = fake_.UploadManifest(Write("big"), segments);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  const std::string slo_etag = Md5Hex(Md5Hex("aaaa") + Md5Hex("bbbb") + Md5Hex("cc"));
  EXPECT_EQ(result->etag, slo_etag);

  auto head = fake_.HeadObject("c", "big");
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->is_slo);
  EXPECT_EQ(head->size, 10u);
  EXPECT_EQ(head->etag, slo_etag);
  char buffer[16];
  auto read = fake_.GetRange("c", "big", 3, buffer, slo_etag);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(buffer, read->bytes), "abbbbcc");

  auto manifest = fake_.GetManifest("c", "big");
  ASSERT_TRUE(manifest.ok());
  ASSERT_EQ(manifest->size(), 3u);
  EXPECT_EQ((*manifest)[1].path, "segs/s1");
  EXPECT_EQ((*manifest)[2].size_bytes, 2u);
  EXPECT_EQ(fake_.upload_manifest_count(), 1u);
  EXPECT_EQ(fake_.get_manifest_count(), 1u);
}

TEST_F(FakeWritesTest, ManifestClientEtagChecked) {
  auto segments = UploadSegments();
  auto wrong = fake_.UploadManifest(Write("big", Md5Hex("nonsense")), segments);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kChecksumMismatch);
  const std::string slo_etag = Md5Hex(Md5Hex("aaaa") + Md5Hex("bbbb") + Md5Hex("cc"));
  EXPECT_TRUE(fake_.UploadManifest(Write("big", slo_etag), segments).ok());
}

TEST_F(FakeWritesTest, ManifestWithRangesUsesSwiftsRangeEtag) {
  auto segments = UploadSegments();
  segments[0].range = std::pair<uint64_t, uint64_t>(1, 2);  // "aa"
  auto result = fake_.UploadManifest(Write("r"), {segments[0], segments[2]});
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(fake_.Stored("c", "r")->data, "aacc");
  EXPECT_EQ(result->etag, Md5Hex(Md5Hex("aaaa") + ":1-2;" + Md5Hex("cc")));
}

TEST_F(FakeWritesTest, ManifestRefusesMissingOrChangedSegments) {
  auto segments = UploadSegments();
  auto missing = segments;
  missing[1].path = "segs/gone";
  auto changed_etag = segments;
  changed_etag[0].etag = Md5Hex("zzzz");
  auto changed_size = segments;
  changed_size[2].size_bytes = 3;
  auto bad_range = segments;
  bad_range[2].range = std::pair<uint64_t, uint64_t>(0, 2);
  for (const auto& manifest : {missing, changed_etag, changed_size, bad_range}) {
    auto result = fake_.UploadManifest(Write("big"), manifest);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().http_status, 400);
  }
  EXPECT_FALSE(fake_.UploadManifest(Write("big"), {}).ok());
  EXPECT_FALSE(fake_.Stored("c", "big").has_value());
}

TEST_F(FakeWritesTest, ManifestLimitsFromClusterInfo) {
  auto segments = UploadSegments();
  swift::ClusterInfo info;
  info.slo_max_manifest_segments = 2;
  fake_.SetClusterInfo(info);
  auto too_many = fake_.UploadManifest(Write("big"), segments);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::kTooLarge);

  info.slo_max_manifest_segments = 1000;
  info.slo_min_segment_size = 3;  // "cc" is last, so only the middle ones must be 3+
  fake_.SetClusterInfo(info);
  EXPECT_TRUE(fake_.UploadManifest(Write("big"), segments).ok());
  auto small_first = fake_.UploadManifest(Write("big2"), {segments[2], segments[0]});
  ASSERT_FALSE(small_first.ok());
  EXPECT_EQ(small_first.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(FakeWritesTest, GetManifestOfPlainObjectIsInvalid) {
  ASSERT_TRUE(fake_.UploadObject(Write("o"), Bytes("x")).ok());
  auto manifest = fake_.GetManifest("c", "o");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake_.GetManifest("c", "absent").error().code, ErrorCode::kNotFound);
}

TEST_F(FakeWritesTest, DeleteModes) {
  auto segments = UploadSegments();
  ASSERT_TRUE(fake_.UploadManifest(Write("keep"), segments).ok());
  ASSERT_TRUE(fake_.DeleteObject("c", "keep", DeleteMode::kObjectOnly).ok());
  EXPECT_FALSE(fake_.Stored("c", "keep").has_value());
  EXPECT_EQ(fake_.ObjectNames("segs").size(), 3u);

  ASSERT_TRUE(fake_.UploadManifest(Write("all"), segments).ok());
  ASSERT_TRUE(fake_.DeleteObject("c", "all", DeleteMode::kWithSegments).ok());
  EXPECT_TRUE(fake_.ObjectNames("segs").empty());
  EXPECT_TRUE(fake_.ObjectNames("c").empty());

  auto again = fake_.DeleteObject("c", "all", DeleteMode::kWithSegments);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.delete_object_count(), 3u);
}

TEST_F(FakeWritesTest, CopyOfManifestSharesSegmentsAndKeepsMetadata) {
  auto segments = UploadSegments();
  ObjectWrite write = Write("big");
  write.content_type = "video/mp4";
  write.metadata = {{"mtime", "1.5"}};
  auto original = fake_.UploadManifest(write, segments);
  ASSERT_TRUE(original.ok());

  auto copy = fake_.CopyObject("c", "big", Write("moved"));
  ASSERT_TRUE(copy.ok()) << copy.error().ToString();
  EXPECT_EQ(copy->etag, original->etag);
  auto stored = fake_.Stored("c", "moved");
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->is_slo);
  EXPECT_EQ(stored->manifest.size(), 3u);
  EXPECT_EQ(stored->content_type, "video/mp4");
  EXPECT_EQ(stored->metadata.at("mtime"), "1.5");
  EXPECT_EQ(fake_.ObjectNames("segs").size(), 3u);  // shared, not duplicated
  EXPECT_EQ(fake_.bytes_uploaded(), 10u);           // only the segments' bytes
}

TEST_F(FakeWritesTest, CopyReplacesMetadataWhenGiven) {
  ObjectWrite write = Write("a");
  write.metadata = {{"old", "1"}};
  ASSERT_TRUE(fake_.UploadObject(write, Bytes("data")).ok());
  ObjectWrite destination = Write("b");
  destination.metadata = {{"new", "2"}};
  ASSERT_TRUE(fake_.CopyObject("c", "a", destination).ok());
  EXPECT_EQ(fake_.Stored("c", "b")->metadata, (std::map<std::string, std::string>{{"new", "2"}}));
  EXPECT_EQ(fake_.Stored("c", "b")->data, "data");
}

TEST_F(FakeWritesTest, CopyIfMatchOnSourceAndIfNoneMatchOnDestination) {
  ASSERT_TRUE(fake_.UploadObject(Write("a"), Bytes("data")).ok());
  ASSERT_TRUE(fake_.UploadObject(Write("b"), Bytes("other")).ok());
  auto stale = fake_.CopyObject("c", "a", Write("x", Md5Hex("old")));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(fake_.CopyObject("c", "a", Write("x", Md5Hex("data"))).ok());

  ObjectWrite exclusive = Write("b");
  exclusive.if_none_match = true;
  auto exists = fake_.CopyObject("c", "a", exclusive);
  ASSERT_FALSE(exists.ok());
  EXPECT_EQ(exists.error().code, ErrorCode::kExists);
  EXPECT_EQ(fake_.CopyObject("c", "absent", Write("y")).error().code, ErrorCode::kNotFound);
}

TEST_F(FakeWritesTest, PostReplacesUserMetadataOnly) {
  ObjectWrite write = Write("o");
  write.content_type = "text/plain";
  write.metadata = {{"a", "1"}, {"b", "2"}};
  ASSERT_TRUE(fake_.UploadObject(write, Bytes("data")).ok());
  ASSERT_TRUE(fake_.PostObject("c", "o", {{"Mtime", "12"}}, "").ok());
  auto head = fake_.HeadObject("c", "o");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->metadata, (std::map<std::string, std::string>{{"mtime", "12"}}));
  EXPECT_EQ(head->meta_mtime, swift::WallTime(std::chrono::seconds(12)));
  EXPECT_EQ(head->content_type, "text/plain");
  EXPECT_EQ(head->etag, Md5Hex("data"));
  EXPECT_EQ(fake_.PostObject("c", "absent", {}, "").error().code, ErrorCode::kNotFound);
}

TEST_F(FakeWritesTest, Containers) {
  ASSERT_TRUE(fake_.PutContainer("new").ok());
  ASSERT_TRUE(fake_.PutContainer("new").ok());  // 202 for an existing one
  EXPECT_TRUE(fake_.HasContainer("new"));
  ASSERT_TRUE(fake_.UploadObject(Write("o"), Bytes("x")).ok());
  auto busy = fake_.DeleteContainer("c");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, ErrorCode::kConflict);
  EXPECT_EQ(busy.error().http_status, 409);
  ASSERT_TRUE(fake_.DeleteContainer("new").ok());
  EXPECT_FALSE(fake_.HasContainer("new"));
  EXPECT_EQ(fake_.DeleteContainer("new").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fake_.put_container_count(), 2u);
  EXPECT_EQ(fake_.delete_container_count(), 3u);
}

TEST_F(FakeWritesTest, FaultHooksSeeWritesAndTheirAnswerIsReturned) {
  auto segments = UploadSegments();
  std::vector<std::string> seen;
  fake_.SetFaultHook(
      Op::kUploadObject, [&](const FakeObjectClient::Call& call) -> std::optional<Error> {
        seen.push_back(call.container + "/" + call.name + ":" + std::to_string(call.body_size));
        if (call.name == "s9") return MakeError(ErrorCode::kServerError, "503", 503);
        return std::nullopt;
      });
  ObjectWrite segment = Write("s9");
  segment.container = "segs";
  EXPECT_EQ(fake_.UploadObject(segment, Bytes("zz")).error().code, ErrorCode::kServerError);
  EXPECT_FALSE(fake_.Stored("segs", "s9").has_value());
  EXPECT_EQ(seen, (std::vector<std::string>{"segs/s9:2"}));

  fake_.FailNext(Op::kUploadManifest, 1, MakeError(ErrorCode::kServerError, "503", 503));
  EXPECT_FALSE(fake_.UploadManifest(Write("big"), segments).ok());
  EXPECT_FALSE(fake_.Stored("c", "big").has_value());
  EXPECT_TRUE(fake_.UploadManifest(Write("big"), segments).ok());
  EXPECT_EQ(fake_.upload_manifest_count(), 2u);

  for (Op op : {Op::kGetManifest, Op::kDeleteObject, Op::kCopyObject, Op::kPostObject,
                Op::kPutContainer, Op::kDeleteContainer}) {
    fake_.FailNext(op, 1, MakeError(ErrorCode::kTimeout, "timed out"));
  }
  EXPECT_EQ(fake_.GetManifest("c", "big").error().code, ErrorCode::kTimeout);
  EXPECT_EQ(fake_.DeleteObject("c", "big", DeleteMode::kWithSegments).error().code,
            ErrorCode::kTimeout);
  EXPECT_EQ(fake_.CopyObject("c", "big", Write("x")).error().code, ErrorCode::kTimeout);
  EXPECT_EQ(fake_.PostObject("c", "big", {}, "").error().code, ErrorCode::kTimeout);
  EXPECT_EQ(fake_.PutContainer("n").error().code, ErrorCode::kTimeout);
  EXPECT_EQ(fake_.DeleteContainer("n").error().code, ErrorCode::kTimeout);
  EXPECT_TRUE(fake_.Stored("c", "big").has_value());  // nothing ran
  EXPECT_FALSE(fake_.HasContainer("n"));
}

TEST_F(FakeWritesTest, ResetCountersClearsWriteCounters) {
  ASSERT_TRUE(fake_.UploadObject(Write("o"), Bytes("abc")).ok());
  fake_.ResetCounters();
  EXPECT_EQ(fake_.upload_object_count(), 0u);
  EXPECT_EQ(fake_.bytes_uploaded(), 0u);
  EXPECT_EQ(fake_.total_count(), 0u);
}

}  // namespace
}  // namespace swiftfs::testing
