// ListingFetcher::ProbeName: one bounded listing tells a lookup what a name is.
#include <gtest/gtest.h>

#include "core/listing_fetcher.h"
#include "support/fake_clock.h"
#include "support/fake_object_client.h"
#include "support/forwarding_object_client.h"

namespace swiftfs::core {
namespace {

using testing::FakeObjectOptions;

class NameProbeTest : public ::testing::Test {
 protected:
  const ListingEntry* Probe(const std::string& prefix, const std::string& name,
                            uint32_t limit = 100) {
    auto probe = fetcher_.ProbeName("c", prefix, name, limit);
    EXPECT_TRUE(probe.ok());
    if (!probe) return nullptr;
    last_ = std::move(*probe);
    return last_.found->Find(name);
  }
  std::vector<std::string> ChildNames() const {
    std::vector<std::string> names;
    for (const auto& e : last_.children->entries) names.push_back(e.name);
    return names;
  }

  testing::FakeObjectClient fake_;
  testing::FakeClock clock_;
  ListingFetcher fetcher_{fake_, clock_, false};
  NameProbe last_;
};

TEST_F(NameProbeTest, AFileWithItsListingAttributes) {
  fake_.PutObject("c", "d/f", "hello");
  fake_.PutObject("c", "d/f.bak", "other");
  fake_.PutObject("c", "d/g", "other");
  const ListingEntry* f = Probe("d/", "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->kind, EntryKind::kFile);
  EXPECT_EQ(f->size, 5u);
  EXPECT_EQ(f->etag, testing::Md5Hex("hello"));
  EXPECT_EQ(last_.found->size(), 1u);  // f.bak lies between f and f/, but is not f
  EXPECT_FALSE(last_.children.has_value());
  EXPECT_EQ(fake_.total_count(), 1u);
}

TEST_F(NameProbeTest, AMissingName) {
  fake_.PutObject("c", "d/fa", "x");
  EXPECT_EQ(Probe("d/", "f"), nullptr);
  EXPECT_EQ(fake_.total_count(), 1u);
}

TEST_F(NameProbeTest, ADirectoryWithItsFirstEntriesFoldedAtSlashes) {
  fake_.PutObject("c", "d/", "");  // the directory's own marker
  fake_.PutObject("c", "d/a/1", "x");
  fake_.PutObject("c", "d/a/2", "x");
  fake_.PutObject("c", "d/b", "x");
  fake_.PutObject("c", "d/c/", "");
  fake_.PutObject("c", "d/c/3", "x");
  const ListingEntry* d = Probe("", "d");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->kind, EntryKind::kDirectory);
  ASSERT_TRUE(last_.children.has_value());
  EXPECT_TRUE(last_.children->complete);
  EXPECT_EQ(ChildNames(), (std::vector<std::string>{"d/", "d/a/", "d/b", "d/c/"}));
  // The listing that follows from the page is the delimiter listing's.
  auto listing = fetcher_.ListDirectory("c", "d/", &*last_.children);
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ((*listing)->size(), 3u);
  EXPECT_EQ(fake_.total_count(), 1u);
}

TEST_F(NameProbeTest, AnIncompleteFirstPageContinuesLikeADelimiterListing) {
  for (int i = 0; i < 5; ++i) fake_.PutObject("c", "d/a/" + std::to_string(i), "x");
  fake_.PutObject("c", "d/b", "x");
  fake_.PutObject("c", "d/c", "x");
  ASSERT_NE(Probe("", "d", 3), nullptr);  // d/a/0, d/a/1, d/a/2: folded to d/a/
  ASSERT_TRUE(last_.children.has_value());
  EXPECT_FALSE(last_.children->complete);
  EXPECT_EQ(ChildNames(), (std::vector<std::string>{"d/a/"}));
  auto listing = fetcher_.ListDirectory("c", "d/", &*last_.children);
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> names;
  for (const auto& e : (*listing)->entries()) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_F(NameProbeTest, TheDirectoryWinsOverAnObjectOfItsName) {
  fake_.PutObject("c", "x", "object");
  fake_.PutObject("c", "x/y", "y");
  const ListingEntry* x = Probe("", "x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->kind, EntryKind::kDirectory);
}

TEST_F(NameProbeTest, ZeroByteFilesAreUnverifiedAndSymlinksKnown) {
  fake_.PutObject("c", "empty", "");
  fake_.PutSymlink("c", "link", "c/empty");
  EXPECT_TRUE(Probe("", "empty")->size_unverified);
  const ListingEntry* link = Probe("", "link");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->kind, EntryKind::kSymlink);
  EXPECT_EQ(link->symlink_target, "c/empty");
}

// A server that ignores end_marker: names past `name/` end the probe all the same.
class IgnoresEndMarker : public testing::ForwardingObjectClient {
 public:
  using ForwardingObjectClient::ForwardingObjectClient;
  Result<swift::ListPage> ListObjects(const swift::ListRequest& request) override {
    swift::ListRequest unbounded = request;
    unbounded.end_marker.clear();
    return ForwardingObjectClient::ListObjects(unbounded);
  }
};

TEST_F(NameProbeTest, AServerIgnoringEndMarkerStillAnswers) {
  fake_.PutObject("c", "f", "x");
  for (int i = 0; i < 10; ++i) fake_.PutObject("c", "f" + std::to_string(i), "x");
  IgnoresEndMarker client(fake_);
  ListingFetcher fetcher(client, clock_, false);
  auto probe = fetcher.ProbeName("c", "", "f", 5);
  ASSERT_TRUE(probe.ok());
  ASSERT_NE(probe->found->Find("f"), nullptr);
  EXPECT_FALSE(probe->children.has_value());
  EXPECT_EQ(fake_.total_count(), 1u);  // "f0" is past "f/": nothing under f/
}

}  // namespace
}  // namespace swiftfs::core
