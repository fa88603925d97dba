// SwiftClient reads against the real local Swift: ranges, empty objects, If-Match after an
// overwrite, and large objects (DLO, SLO) and symlinks as Swift 2.30 serves them.
#include <nlohmann/json.hpp>

#include "swift_integration_fixture.h"

namespace swiftfs::testing {
namespace {

std::string Pattern(size_t size, char seed) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>(seed + (i * 7 + i / 13) % 61);
  return out;
}

class SwiftReadsIntegrationTest : public SwiftIntegrationTest {};

TEST_F(SwiftReadsIntegrationTest, RangedReads) {
  const std::string body = Pattern(10000, 'A');
  Put("range/plain", body);
  EXPECT_EQ(*Read("range/plain", 0, 100), body.substr(0, 100));
  EXPECT_EQ(*Read("range/plain", 4321, 1000), body.substr(4321, 1000));
  EXPECT_EQ(*Read("range/plain", 9990, 4096), body.substr(9990));  // spans the end
  EXPECT_EQ(*Read("range/plain", 0, 20000), body);
  EXPECT_EQ(*Read("range/plain", 10000, 10), "");  // exactly at the end: 416
  EXPECT_EQ(*Read("range/plain", 1 << 30, 10), "");
}

TEST_F(SwiftReadsIntegrationTest, AGetCarriesWhatAHeadTells) {
  // What lets a lookup of a small file GET it whole instead of a HEAD (FetchForLookup).
  const std::string body = Pattern(3000, 'C');
  Put("range/meta", body,
      {{"Content-Type", "text/x-test"},
       {"X-Object-Meta-Mtime", "1700000000.25"},
       {"X-Object-Meta-Color", "Blue Sky"}});
  auto head = client().HeadObject(container(), "range/meta");
  ASSERT_TRUE(head.ok()) << head.error().ToString();
  for (uint64_t offset : {uint64_t{0}, uint64_t{1000}}) {
    std::string buffer(body.size(), '\0');
    auto got =
        client().GetRange(container(), "range/meta", offset, std::span<char>(buffer), head->etag);
    ASSERT_TRUE(got.ok()) << got.error().ToString();
    ASSERT_TRUE(got->info.has_value()) << offset;
    EXPECT_EQ(got->info->name, "range/meta");
    EXPECT_EQ(got->info->size, body.size()) << offset;  // the object's, not the range's
    EXPECT_EQ(got->info->etag, head->etag);
    EXPECT_EQ(got->info->content_type, "text/x-test");
    EXPECT_EQ(got->info->timestamp, head->timestamp);
    EXPECT_EQ(got->info->last_modified, head->last_modified);
    EXPECT_EQ(got->info->meta_mtime, head->meta_mtime);
    EXPECT_EQ(got->info->metadata, head->metadata);
    EXPECT_EQ(got->info->is_slo, head->is_slo);
  }
}

TEST_F(SwiftReadsIntegrationTest, EmptyObjectReadsZeroBytes) {
  Put("range/empty", "");
  auto info = client().HeadObject(container(), "range/empty");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 0u);
  // Any Range on a 0-byte object answers 416, with or without If-Match.
  EXPECT_EQ(*Read("range/empty", 0, 4096), "");
  EXPECT_EQ(*Read("range/empty", 0, 4096, info->etag), "");
}

TEST_F(SwiftReadsIntegrationTest, IfMatchDetectsAnOverwrite) {
  Put("range/changing", "version one");
  auto before = client().HeadObject(container(), "range/changing");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(*Read("range/changing", 0, 7, before->etag), "version");
  Put("range/changing", "version two!");
  auto stale = Read("range/changing", 0, 7, before->etag);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(stale.error().http_status, 412);
  EXPECT_NE(stale.error().message.find(Md5Hex("version two!")), std::string::npos)
      << stale.error().message;
  auto after = client().HeadObject(container(), "range/changing");
  EXPECT_EQ(*Read("range/changing", 8, 100, after->etag), "two!");
}

TEST_F(SwiftReadsIntegrationTest, DynamicLargeObject) {
  const std::string segments[] = {Pattern(1000, 'a'), Pattern(1500, 'b'), Pattern(700, 'c')};
  const std::string whole = segments[0] + segments[1] + segments[2];
  for (int i = 0; i < 3; ++i) Put("dlo-segs/part" + std::to_string(i), segments[i]);
  Put("dlo/manifest", "", {{"X-Object-Manifest", container() + "/dlo-segs/part"}});

  // The listing shows the manifest itself: 0 bytes, the MD5 of nothing.
  const auto listed = ListAll("dlo/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].size, 0u);
  EXPECT_EQ(listed[0].etag, Md5Hex(""));

  auto info = client().HeadObject(container(), "dlo/manifest");
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_TRUE(info->is_dlo);
  EXPECT_EQ(info->size, whole.size());
  EXPECT_NE(info->etag, Md5Hex(""));  // "md5 of the segments' etags", sent quoted

  // Swift 2.30 answers 206 for ranges of a DLO whose segments fit one listing page and
  // honours If-Match against the ETag HEAD gave.
  for (const auto& [offset, size] : std::vector<std::pair<uint64_t, size_t>>{
           {0, 10}, {995, 10}, {1000, 1500}, {2499, 2}, {3100, 500}, {0, 5000}}) {
    auto data = Read("dlo/manifest", offset, size, info->etag);
    ASSERT_TRUE(data.ok()) << offset << ": " << data.error().ToString();
    EXPECT_EQ(*data, whole.substr(offset, size)) << offset;
  }
  EXPECT_EQ(*Read("dlo/manifest", whole.size(), 10, info->etag), "");

  // The listing's hash is the manifest's, not the assembled object's: If-Match with it
  // fails, and the message says where the right ETag comes from.
  auto wrong = Read("dlo/manifest", 0, 10, listed[0].etag);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_NE(wrong.error().message.find("ETag from HEAD"), std::string::npos);

  // Changing a segment changes the DLO's ETag: a reader of the old version sees a 412.
  Put("dlo-segs/part1", Pattern(1500, 'z'));
  auto changed = Read("dlo/manifest", 0, 10, info->etag);
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().code, ErrorCode::kPreconditionFailed);
}

TEST_F(SwiftReadsIntegrationTest, StaticLargeObject) {
  const std::string segments[] = {Pattern(1200, 'd'), Pattern(900, 'e')};
  const std::string whole = segments[0] + segments[1];
  nlohmann::json manifest = nlohmann::json::array();
  for (int i = 0; i < 2; ++i) {
    const std::string name = "slo-segs/part" + std::to_string(i);
    Put(name, segments[i]);
    manifest.push_back({{"path", container() + "/" + name},
                        {"etag", Md5Hex(segments[i])},
                        {"size_bytes", segments[i].size()}});
  }
  Put("slo/manifest", manifest.dump(), {}, "?multipart-manifest=put");

  const auto listed = ListAll("slo/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].size, whole.size());  // SLOs list their total size

  auto info = client().HeadObject(container(), "slo/manifest");
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_TRUE(info->is_slo);
  EXPECT_FALSE(info->is_dlo);
  EXPECT_EQ(info->size, whole.size());
  EXPECT_EQ(listed[0].etag, info->etag);  // from slo_etag, so a listing is enough to read

  for (const auto& [offset, size] : std::vector<std::pair<uint64_t, size_t>>{
           {0, 10}, {1195, 10}, {1200, 900}, {2000, 500}, {0, 4096}}) {
    auto data = Read("slo/manifest", offset, size, listed[0].etag);
    ASSERT_TRUE(data.ok()) << offset << ": " << data.error().ToString();
    EXPECT_EQ(*data, whole.substr(offset, size)) << offset;
  }
  EXPECT_EQ(*Read("slo/manifest", whole.size(), 10, info->etag), "");
  EXPECT_EQ(Read("slo/manifest", 0, 10, Md5Hex("nope")).error().code,
            ErrorCode::kPreconditionFailed);
}

TEST_F(SwiftReadsIntegrationTest, Symlink) {
  Put("link/target file", "pointed at");
  Put("link/the link", "", {{"X-Symlink-Target", container() + "/link/target file"}});

  const auto listed = ListAll("link/");
  ASSERT_EQ(listed.size(), 2u);
  const auto& link = listed[1];
  EXPECT_EQ(link.name, "link/the link");
  EXPECT_EQ(link.size, 0u);
  EXPECT_EQ(link.symlink_target, container() + "/link/target file");
  EXPECT_EQ(link.content_type, "application/symlink");
  EXPECT_FALSE(listed[0].symlink_target);

  auto info = client().HeadObject(container(), "link/the link");
  ASSERT_TRUE(info.ok()) << info.error().ToString();
  EXPECT_EQ(info->symlink_target, container() + "/link/target file");
  EXPECT_EQ(info->size, 0u);  // the link itself (symlink=get), not its target
  EXPECT_FALSE(info->symlink_target_account);
}

}  // namespace
}  // namespace swiftfs::testing
