// RetryingObjectClient's writes over the FakeObjectClient: transient failures are retried
// within the deadline, and a retry after a lost reply (the first attempt did take effect)
// reports what the lost reply would have said: a delete is done, an exclusive create that
// finds its own object succeeded, one that finds another object did not.
#include <gtest/gtest.h>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"
#include "support/forwarding_object_client.h"
#include "swiftfs/swift/retrying_object_client.h"

namespace swiftfs::swift {
namespace {

using std::chrono::milliseconds;
using testing::FakeObjectClient;
using testing::Md5Hex;
using Op = FakeObjectClient::Op;

Error Timeout() { return MakeError(ErrorCode::kTimeout, "timed out"); }
Error Unavailable() { return MakeError(ErrorCode::kServerError, "503 Service Unavailable", 503); }

// Runs each write on the inner client, then loses the reply of the first `lose` of them
// (kTimeout), as a connection reset after the server did the work would.
class LostReplyClient final : public testing::ForwardingObjectClient {
 public:
  using ForwardingObjectClient::ForwardingObjectClient;
  int lose = 1;

  Result<WriteResult> UploadObject(const ObjectWrite& write, std::span<const char> body) override {
    return Lose(ForwardingObjectClient::UploadObject(write, body));
  }
  Result<WriteResult> UploadManifest(const ObjectWrite& write,
                                     const std::vector<SloSegment>& segments) override {
    return Lose(ForwardingObjectClient::UploadManifest(write, segments));
  }
  Status DeleteObject(const std::string& container, const std::string& name,
                      DeleteMode mode) override {
    return Lose(ForwardingObjectClient::DeleteObject(container, name, mode));
  }
  Result<WriteResult> CopyObject(const std::string& source_container,
                                 const std::string& source_name,
                                 const ObjectWrite& destination) override {
    return Lose(ForwardingObjectClient::CopyObject(source_container, source_name, destination));
  }
  Status DeleteContainer(const std::string& container) override {
    return Lose(ForwardingObjectClient::DeleteContainer(container));
  }

 private:
  template <typename T>
  Result<T> Lose(Result<T> result) {
    if (lose-- > 0) return Timeout();
    return result;
  }
};

ObjectWrite Write(std::string name, std::string etag = {}, bool if_none_match = false) {
  ObjectWrite write;
  write.container = "c";
  write.name = std::move(name);
  write.etag = std::move(etag);
  write.if_none_match = if_none_match;
  return write;
}

std::span<const char> Bytes(std::string_view text) { return {text.data(), text.size()}; }

class RetryingWritesTest : public ::testing::Test {
 protected:
  RetryingWritesTest() { fake_.CreateContainer("c"); }
  RetryingObjectClient Make(ObjectClient& inner, RetryPolicy policy = {}) {
    policy.seed = 7;
    return RetryingObjectClient(inner, clock_, counters_, logger_, policy);
  }
  std::vector<SloSegment> Segments() {
    fake_.PutObject("c", "seg/0", "aaaa");
    fake_.PutObject("c", "seg/1", "bb");
    return {SloSegment{.path = "c/seg/0", .etag = Md5Hex("aaaa"), .size_bytes = 4, .range = {}},
            SloSegment{.path = "c/seg/1", .etag = Md5Hex("bb"), .size_bytes = 2, .range = {}}};
  }

  FakeObjectClient fake_;
  testing::FakeClock clock_;
  Counters counters_;
  CapturingLogger logger_;
};

TEST_F(RetryingWritesTest, EveryWriteIsRetriedOnTransientErrors) {
  auto client = Make(fake_);
  const auto segments = Segments();
  for (Op op : {Op::kUploadObject, Op::kUploadManifest, Op::kGetManifest, Op::kCopyObject,
                Op::kPostObject, Op::kDeleteObject, Op::kPutContainer, Op::kDeleteContainer}) {
    fake_.FailNext(op, 2, Unavailable());
  }
  EXPECT_TRUE(client.UploadObject(Write("o", Md5Hex("data")), Bytes("data")).ok());
  EXPECT_TRUE(client.UploadManifest(Write("big"), segments).ok());
  EXPECT_TRUE(client.GetManifest("c", "big").ok());
  EXPECT_TRUE(client.CopyObject("c", "o", Write("copy")).ok());
  EXPECT_TRUE(client.PostObject("c", "o", {{"mtime", "1"}}, "").ok());
  EXPECT_TRUE(client.DeleteObject("c", "copy", DeleteMode::kObjectOnly).ok());
  EXPECT_TRUE(client.PutContainer("d").ok());
  EXPECT_TRUE(client.DeleteContainer("d").ok());
  EXPECT_EQ(counters_.Get(Counter::kRetries), 16u);
  EXPECT_EQ(fake_.upload_object_count(), 3u);
  EXPECT_EQ(fake_.Stored("c", "o")->data, "data");
  EXPECT_TRUE(logger_.Contains("PUT c/o: retry 1/10"));
}

TEST_F(RetryingWritesTest, RefusalsAreNotRetried) {
  auto client = Make(fake_);
  auto damaged = client.UploadObject(Write("o", Md5Hex("other")), Bytes("data"));
  EXPECT_EQ(damaged.error().code, ErrorCode::kChecksumMismatch);
  EXPECT_EQ(client.UploadManifest(Write("big"), {}).error().code, ErrorCode::kInvalidArgument);
  fake_.PutObject("c", "x", "1");
  EXPECT_EQ(client.DeleteContainer("c").error().code, ErrorCode::kConflict);
  EXPECT_EQ(client.DeleteObject("c", "absent", DeleteMode::kObjectOnly).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(counters_.Get(Counter::kRetries), 0u);
}

TEST_F(RetryingWritesTest, WritesGiveUpAtTheDeadline) {
  RetryPolicy policy;
  policy.op_timeout = milliseconds(1000);
  policy.initial_backoff = milliseconds(300);
  auto client = Make(fake_, policy);
  fake_.FailNext(Op::kUploadObject, 100, Unavailable());
  auto result = client.UploadObject(Write("o"), Bytes("data"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kServerError);
  EXPECT_LT(fake_.upload_object_count(), 6u);
  EXPECT_LE(clock_.TotalSlept(), milliseconds(1000));
  EXPECT_TRUE(logger_.Contains("operation deadline"));
}

TEST_F(RetryingWritesTest, DeleteWhoseReplyWasLostIsDone) {
  LostReplyClient lossy(fake_);
  auto client = Make(lossy);
  fake_.PutObject("c", "o", "data");
  ASSERT_TRUE(client.DeleteObject("c", "o", DeleteMode::kWithSegments).ok());
  EXPECT_EQ(fake_.delete_object_count(), 2u);  // the lost one, and the retry's 404
  EXPECT_FALSE(fake_.Stored("c", "o").has_value());

  fake_.CreateContainer("d");
  lossy.lose = 1;
  EXPECT_TRUE(client.DeleteContainer("d").ok());
  EXPECT_FALSE(fake_.HasContainer("d"));
}

TEST_F(RetryingWritesTest, NotFoundAfterARefusedAttemptIsStillNotFound) {
  auto client = Make(fake_);
  // A 429 is refused before any work: the object was never there.
  fake_.FailNext(Op::kDeleteObject, 1, MakeError(ErrorCode::kTooManyRequests, "429", 429));
  EXPECT_EQ(client.DeleteObject("c", "absent", DeleteMode::kObjectOnly).error().code,
            ErrorCode::kNotFound);
}

TEST_F(RetryingWritesTest, ExclusiveCreateWhoseReplyWasLostFindsItsOwnObject) {
  LostReplyClient lossy(fake_);
  auto client = Make(lossy);
  auto result = client.UploadObject(Write("o", Md5Hex("data"), true), Bytes("data"));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, Md5Hex("data"));
  EXPECT_EQ(fake_.upload_object_count(), 2u);
  EXPECT_EQ(fake_.head_object_count(), 1u);  // the check
}

TEST_F(RetryingWritesTest, ExclusiveCreateLosingToAnotherWriterIsExists) {
  auto client = Make(fake_);
  // The first attempt times out; meanwhile someone else creates the name.
  int calls = 0;
  fake_.SetFaultHook(Op::kUploadObject, [&](const FakeObjectClient::Call&) -> std::optional<Error> {
    if (calls++ > 0) return std::nullopt;
    fake_.PutObject("c", "o", "theirs");
    return Timeout();
  });
  auto result = client.UploadObject(Write("o", Md5Hex("mine"), true), Bytes("mine"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kExists);
  EXPECT_EQ(fake_.Stored("c", "o")->data, "theirs");
}

TEST_F(RetryingWritesTest, ExclusiveCreateWithoutEtagCannotTellAndSaysExists) {
  LostReplyClient lossy(fake_);
  auto client = Make(lossy);
  auto result = client.UploadObject(Write("o", "", true), Bytes("data"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kExists);
}

TEST_F(RetryingWritesTest, ExclusiveManifestWhoseReplyWasLostComparesTheSegments) {
  LostReplyClient lossy(fake_);
  auto client = Make(lossy);
  const auto segments = Segments();
  auto result = client.UploadManifest(Write("big", "", true), segments);
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, fake_.Stored("c", "big")->etag);

  // A lost reply again, and the name holds another manifest: not ours.
  lossy.lose = 1;
  auto other = client.UploadManifest(Write("big", "", true), {segments[0]});
  EXPECT_EQ(other.error().code, ErrorCode::kExists);
}

TEST_F(RetryingWritesTest, ExclusiveCopyWhoseReplyWasLostFindsTheSourcesEtag) {
  LostReplyClient lossy(fake_);
  auto client = Make(lossy);
  fake_.PutObject("c", "src", "data");
  auto result = client.CopyObject("c", "src", Write("dst", "", true));
  ASSERT_TRUE(result.ok()) << result.error().ToString();
  EXPECT_EQ(result->etag, Md5Hex("data"));
}

}  // namespace
}  // namespace swiftfs::swift
