// SwiftClient writes against the real local Swift 2.30: every write verb, an SLO of three
// segments written, read back, copied and deleted, and what Swift refuses (a damaged body,
// a manifest naming a missing segment, a container that is not empty, a quota).
#include "integration/container_request.h"
#include "swift_integration_fixture.h"

namespace swiftfs::testing {
namespace {

using swift::DeleteMode;
using swift::ObjectWrite;
using swift::SloSegment;

std::span<const char> Bytes(const std::string& text) { return {text.data(), text.size()}; }

std::string Pattern(size_t size, char seed) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>(seed + (i * 7 + i / 13) % 61);
  return out;
}

class SwiftWritesIntegrationTest : public SwiftIntegrationTest {
 protected:
  static ObjectWrite Write(std::string name, std::string etag = {}) {
    ObjectWrite write;
    write.container = container();
    write.name = std::move(name);
    write.etag = std::move(etag);
    return write;
  }
  static Result<std::string> ReadAll(const std::string& name) { return Read(name, 0, 1 << 20); }
  // Uploads three segments under `prefix` and returns the manifest naming them.
  static std::vector<SloSegment> UploadSegments(const std::string& prefix,
                                                const std::string parts[3]) {
    std::vector<SloSegment> segments;
    for (int i = 0; i < 3; ++i) {
      const std::string name = prefix + std::to_string(i);
      auto put = client().UploadObject(Write(name, Md5Hex(parts[i])), Bytes(parts[i]));
      EXPECT_TRUE(put.ok()) << name << ": " << put.error().ToString();
      segments.push_back(SloSegment{.path = container() + "/" + name,
                                    .etag = Md5Hex(parts[i]),
                                    .size_bytes = parts[i].size(),
                                    .range = std::nullopt});
    }
    return segments;
  }
  static std::string SloEtag(const std::string parts[3]) {
    return Md5Hex(Md5Hex(parts[0]) + Md5Hex(parts[1]) + Md5Hex(parts[2]));
  }
};

TEST_F(SwiftWritesIntegrationTest, UploadRoundTripWithMetadata) {
  const std::string body = Pattern(100000, 'a');
  ObjectWrite write = Write("up/plain file", Md5Hex(body));
  write.content_type = "text/x-test";
  write.metadata = {{"Mtime", "1700000000.25"}, {"owner", "ann"}};
  const uint64_t puts = shared_->counters.Get(Counter::kPutRequests);
  auto result = client().UploadObject(write, Bytes(body));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, Md5Hex(body));
  EXPECT_TRUE(result->last_modified.has_value());
  EXPECT_EQ(shared_->counters.Get(Counter::kPutRequests), puts + 1);

  auto head = client().HeadObject(container(), "up/plain file");
  ASSERT_TRUE(head.ok()) << head.error().ToString();
  EXPECT_EQ(head->size, body.size());
  EXPECT_EQ(head->etag, Md5Hex(body));
  EXPECT_EQ(head->content_type, "text/x-test");
  EXPECT_EQ(head->metadata.at("owner"), "ann");
  ASSERT_TRUE(head->meta_mtime.has_value());
  EXPECT_EQ(*ReadAll("up/plain file"), body);
}

TEST_F(SwiftWritesIntegrationTest, WrongEtagIsRefusedWith422AndStoresNothing) {
  auto result = client().UploadObject(Write("up/damaged", Md5Hex("other bytes")), Bytes("bytes"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kChecksumMismatch);
  EXPECT_EQ(result.error().http_status, 422);
  EXPECT_EQ(client().HeadObject(container(), "up/damaged").error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftWritesIntegrationTest, IfNoneMatchRefusesAnExistingName) {
  ObjectWrite write = Write("up/exclusive");
  write.if_none_match = true;
  ASSERT_TRUE(client().UploadObject(write, Bytes("first")).ok());
  auto again = client().UploadObject(write, Bytes("second"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kExists);
  EXPECT_EQ(*ReadAll("up/exclusive"), "first");
}

TEST_F(SwiftWritesIntegrationTest, SloOfThreeSegmentsRoundTrip) {
  const std::string parts[3] = {Pattern(3000, 'a'), Pattern(2000, 'b'), Pattern(777, 'c')};
  auto segments = UploadSegments("slo-segs/rt/", parts);
  ObjectWrite write = Write("slo/round trip", SloEtag(parts));
  write.metadata = {{"mtime", "12"}};
  auto result = client().UploadManifest(write, segments);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, SloEtag(parts));
  EXPECT_TRUE(result->last_modified.has_value());

  auto head = client().HeadObject(container(), "slo/round trip");
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->is_slo);
  EXPECT_EQ(head->size, 5777u);
  EXPECT_EQ(head->etag, SloEtag(parts));
  EXPECT_EQ(head->metadata.at("mtime"), "12");
  EXPECT_EQ(*Read("slo/round trip", 0, 10000, head->etag), parts[0] + parts[1] + parts[2]);

  auto manifest = client().GetManifest(container(), "slo/round trip");
  ASSERT_TRUE(manifest.ok()) << manifest.error().ToString();
  ASSERT_EQ(manifest->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*manifest)[i].path, segments[i].path);
    EXPECT_EQ((*manifest)[i].etag, segments[i].etag);
    EXPECT_EQ((*manifest)[i].size_bytes, segments[i].size_bytes);
  }
  auto plain = client().GetManifest(container(), "slo-segs/rt/0");
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SwiftWritesIntegrationTest, ManifestWithRangeAndWrongManifestEtag) {
  const std::string parts[3] = {Pattern(100, 'd'), Pattern(100, 'e'), Pattern(100, 'f')};
  auto segments = UploadSegments("slo-segs/range/", parts);
  segments[1].range = std::pair<uint64_t, uint64_t>(10, 19);
  ASSERT_TRUE(client().UploadManifest(Write("slo/ranged"), segments).ok());
  EXPECT_EQ(*ReadAll("slo/ranged"), parts[0] + parts[1].substr(10, 10) + parts[2]);

  auto wrong = client().UploadManifest(Write("slo/wrong etag", Md5Hex("x")), segments);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kChecksumMismatch);
}

TEST_F(SwiftWritesIntegrationTest, ManifestNamingAMissingSegmentIsRefused) {
  const std::string parts[3] = {Pattern(100, 'g'), Pattern(100, 'h'), Pattern(100, 'i')};
  auto segments = UploadSegments("slo-segs/missing/", parts);
  segments[2].path = container() + "/slo-segs/missing/never uploaded";
  auto result = client().UploadManifest(Write("slo/broken"), segments);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_NE(result.error().message.find("never uploaded, 404 Not Found"), std::string::npos)
      << result.error().message;
  EXPECT_EQ(client().HeadObject(container(), "slo/broken").error().code, ErrorCode::kNotFound);

  segments = UploadSegments("slo-segs/missing/", parts);
  segments[0].etag = Md5Hex("changed");
  EXPECT_EQ(client().UploadManifest(Write("slo/broken"), segments).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_F(SwiftWritesIntegrationTest, CopyOfSloSharesSegments) {
  const std::string parts[3] = {Pattern(500, 'j'), Pattern(500, 'k'), Pattern(50, 'l')};
  auto segments = UploadSegments("slo-segs/copy/", parts);
  ObjectWrite write = Write("slo/copy source");
  write.metadata = {{"mtime", "99"}};
  ASSERT_TRUE(client().UploadManifest(write, segments).ok());
  const uint64_t copies = shared_->counters.Get(Counter::kCopyRequests);

  // If-Match with the SLO's ETag (the one HEAD and listings give) must work.
  ObjectWrite destination = Write("slo/copy dest", SloEtag(parts));
  auto copy = client().CopyObject(container(), "slo/copy source", destination);
  ASSERT_TRUE(copy.ok()) << copy.error().ToString();
  EXPECT_GT(shared_->counters.Get(Counter::kCopyRequests), copies);

  auto head = client().HeadObject(container(), "slo/copy dest");
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->is_slo);
  EXPECT_EQ(head->etag, SloEtag(parts));
  EXPECT_EQ(head->metadata.at("mtime"), "99");
  auto manifest = client().GetManifest(container(), "slo/copy dest");
  ASSERT_TRUE(manifest.ok());
  ASSERT_EQ(manifest->size(), 3u);
  EXPECT_EQ((*manifest)[0].path, segments[0].path);  // the same segments, not copies
  EXPECT_EQ(ListAll("slo-segs/copy/").size(), 3u);
  EXPECT_EQ(*ReadAll("slo/copy dest"), parts[0] + parts[1] + parts[2]);

  auto stale =
      client().CopyObject(container(), "slo/copy source", Write("slo/copy x", Md5Hex("old")));
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(client().HeadObject(container(), "slo/copy x").error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftWritesIntegrationTest, CopyOfPlainObject) {
  ObjectWrite write = Write("copy/a");
  write.metadata = {{"old", "1"}};
  write.content_type = "text/plain";
  ASSERT_TRUE(client().UploadObject(write, Bytes("plain data")).ok());

  ObjectWrite keep = Write("copy/kept", Md5Hex("plain data"));
  ASSERT_TRUE(client().CopyObject(container(), "copy/a", keep).ok());
  auto kept = client().HeadObject(container(), "copy/kept");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->metadata, (std::map<std::string, std::string>{{"old", "1"}}));
  EXPECT_EQ(kept->content_type, "text/plain");

  ObjectWrite fresh = Write("copy/fresh");
  fresh.metadata = {{"new", "2"}};
  ASSERT_TRUE(client().CopyObject(container(), "copy/a", fresh).ok());
  auto head = client().HeadObject(container(), "copy/fresh");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->metadata, (std::map<std::string, std::string>{{"new", "2"}}));
  EXPECT_EQ(*ReadAll("copy/fresh"), "plain data");

  ObjectWrite exclusive = Write("copy/kept");
  exclusive.if_none_match = true;
  EXPECT_EQ(client().CopyObject(container(), "copy/a", exclusive).error().code, ErrorCode::kExists);
  EXPECT_EQ(client().CopyObject(container(), "copy/absent", Write("copy/z")).error().code,
            ErrorCode::kNotFound);
}

TEST_F(SwiftWritesIntegrationTest, DeleteWithSegments) {
  const std::string parts[3] = {Pattern(100, 'm'), Pattern(100, 'n'), Pattern(100, 'o')};
  auto segments = UploadSegments("slo-segs/delete/", parts);
  ASSERT_TRUE(client().UploadManifest(Write("slo/delete me"), segments).ok());
  ASSERT_TRUE(client().UploadManifest(Write("slo/keep segs"), segments).ok());

  ASSERT_TRUE(client().DeleteObject(container(), "slo/keep segs", DeleteMode::kObjectOnly).ok());
  EXPECT_EQ(ListAll("slo-segs/delete/").size(), 3u);

  auto deleted = client().DeleteObject(container(), "slo/delete me", DeleteMode::kWithSegments);
  ASSERT_TRUE(deleted.ok()) << deleted.error().ToString();
  EXPECT_TRUE(ListAll("slo-segs/delete/").empty());
  EXPECT_EQ(client().HeadObject(container(), "slo/delete me").error().code, ErrorCode::kNotFound);

  auto again = client().DeleteObject(container(), "slo/delete me", DeleteMode::kWithSegments);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(
      client().DeleteObject(container(), "slo/delete me", DeleteMode::kObjectOnly).error().code,
      ErrorCode::kNotFound);

  // A plain object deleted "with segments" (the caller may not know what it is).
  ASSERT_TRUE(client().UploadObject(Write("delete/plain"), Bytes("x")).ok());
  auto plain = client().DeleteObject(container(), "delete/plain", DeleteMode::kWithSegments);
  ASSERT_TRUE(plain.ok()) << plain.error().ToString();
  EXPECT_EQ(client().HeadObject(container(), "delete/plain").error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftWritesIntegrationTest, PostReplacesUserMetadata) {
  ObjectWrite write = Write("post/o");
  write.metadata = {{"a", "1"}, {"b", "2"}};
  write.content_type = "text/plain";
  ASSERT_TRUE(client().UploadObject(write, Bytes("data")).ok());
  ASSERT_TRUE(client().PostObject(container(), "post/o", {{"mtime", "1700000001"}}, "").ok());
  auto head = client().HeadObject(container(), "post/o");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->metadata, (std::map<std::string, std::string>{{"mtime", "1700000001"}}));
  EXPECT_EQ(head->content_type, "text/plain");
  EXPECT_EQ(head->etag, Md5Hex("data"));
  EXPECT_EQ(client().PostObject(container(), "post/absent", {}, "").error().code,
            ErrorCode::kNotFound);
}

TEST_F(SwiftWritesIntegrationTest, ContainerCreateAndDeleteConflict) {
  const std::string extra = container() + " extra";
  ASSERT_TRUE(client().PutContainer(extra).ok());
  ASSERT_TRUE(client().PutContainer(extra).ok());  // 202: already there
  ObjectWrite write = Write("o");
  write.container = extra;
  ASSERT_TRUE(client().UploadObject(write, Bytes("x")).ok());
  auto busy = client().DeleteContainer(extra);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, ErrorCode::kConflict);
  EXPECT_EQ(busy.error().http_status, 409);
  ASSERT_TRUE(client().DeleteObject(extra, "o", DeleteMode::kObjectOnly).ok());
  ASSERT_TRUE(client().DeleteContainer(extra).ok());
  EXPECT_EQ(client().DeleteContainer(extra).error().code, ErrorCode::kNotFound);
}

TEST_F(SwiftWritesIntegrationTest, QuotaIsReportedAsQuota) {
  const std::string limited = container() + " quota";
  ASSERT_TRUE(client().PutContainer(limited).ok());
  auto set = SendToContainer(*shared_->http, *shared_->session, shared_->logger, limited,
                             http::Method::kPost, "", {{"X-Container-Meta-Quota-Bytes", "3"}}, "");
  ASSERT_TRUE(set) << set.error().ToString();
  ASSERT_EQ(set->status, 204);
  ObjectWrite write = Write("o");
  write.container = limited;
  auto over = client().UploadObject(write, Bytes("four"));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kQuotaExceeded);
  EXPECT_EQ(over.error().http_status, 413);
  EXPECT_TRUE(client().DeleteContainer(limited).ok());
}

TEST_F(SwiftWritesIntegrationTest, ClusterInfoLimits) {
  auto info = client().GetClusterInfo();
  ASSERT_TRUE(info.ok());
  // The local cluster runs Swift's defaults (scripts/local-swift).
  EXPECT_EQ(info->max_file_size, 5368709122u);
  EXPECT_TRUE(info->slo_enabled);
  EXPECT_EQ(info->slo_max_manifest_segments, 1000u);
  EXPECT_EQ(info->slo_max_manifest_size, 8388608u);
  EXPECT_EQ(info->slo_min_segment_size, 1u);
}

}  // namespace
}  // namespace swiftfs::testing
