// core::Filesystem over the real SwiftClient (production auth from the OS_* environment)
// against the local Swift: a small tree of objects made with raw HTTP PUTs, then readdir,
// lookup, getattr, readlink, xattrs and reads through the filesystem must match it.
// Skips with a message when OS_AUTH_URL is absent.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "integration/container_request.h"
#include "support/fake_object_client.h"  // Md5Hex
#include "swiftfs/auth/auth_config.h"
#include "swiftfs/auth/token_provider_factory.h"
#include "swiftfs/cache/simple_file_reader.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/core/filesystem.h"
#include "swiftfs/http/curl_http_client.h"
#include "swiftfs/swift/swift_client.h"

namespace swiftfs::core {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string Pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  return s;
}

class FilesystemIntegrationTest : public ::testing::Test {
 protected:
  struct Shared {
    std::unique_ptr<http::CurlGlobal> curl_global;
    StderrLogger logger{LogLevel::kWarning};
    SystemClock clock;
    Counters counters;
    std::unique_ptr<http::CurlHttpClient> http;
    std::unique_ptr<auth::TokenProvider> tokens;
    std::unique_ptr<swift::SwiftClient> client;
    std::string container;
    std::string skip_reason;
  };
  static inline Shared* shared_ = nullptr;

  static void SetUpTestSuite() {
    shared_ = new Shared();
    if (getenv("OS_AUTH_URL") == nullptr) {
      shared_->skip_reason =
          "OS_AUTH_URL is not set: run under scripts/test or eval \"$(scripts/local-swift env)\"";
      return;
    }
    auth::SystemEnvironment env;
    auto config = auth::LoadAuthConfig(env, {}, shared_->logger);
    if (!config) {
      shared_->skip_reason = "auth configuration: " + config.error().ToString();
      return;
    }
    shared_->curl_global = std::make_unique<http::CurlGlobal>();
    shared_->http = std::make_unique<http::CurlHttpClient>(http::CurlOptions{}, shared_->logger);
    auto tokens = auth::MakeTokenProvider(*config, *shared_->http, shared_->clock, shared_->logger,
                                          shared_->counters);
    if (!tokens) {
      shared_->skip_reason = "token provider: " + tokens.error().ToString();
      return;
    }
    shared_->tokens = std::move(*tokens);
    shared_->client = std::make_unique<swift::SwiftClient>(*shared_->http, *shared_->tokens,
                                                           shared_->counters, shared_->logger);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    shared_->container =
        "swiftfs-it core #" + std::to_string(getpid()) + "-" + std::to_string(ms.count());
    auto created = Send(http::Method::kPut, "", {});
    if (!created || (created->status != 201 && created->status != 202)) {
      shared_->skip_reason = "cannot create the test container";
      return;
    }
    const std::string c = shared_->container;
    Put("docs/readme.txt", "hello", {{"X-Object-Meta-Color", "blue"}});
    Put("docs/sub/deep.bin", Pattern(1024 * 1024 + 7));
    Put("docs/odd name %#?+&.txt", "odd");
    Put("docs/a", "file a");  // clash: a is a directory
    Put("docs/a/b", "b");
    Put("docs/marker", "", {{"Content-Type", "application/directory"}});
    Put("docs/link", "",
        {{"X-Symlink-Target", http::PercentEncode(c, false) + "/docs/readme.txt"}});
    Put("segs/1", "first-");
    Put("segs/2", "second");
    Put("docs/dlo", "", {{"X-Object-Manifest", http::PercentEncode(c, false) + "/segs/"}});
  }

  static void TearDownTestSuite() {
    if (shared_ && shared_->skip_reason.empty()) {
      for (const char* name :
           {"docs/readme.txt", "docs/sub/deep.bin", "docs/odd name %#?+&.txt", "docs/a", "docs/a/b",
            "docs/marker", "docs/link", "segs/1", "segs/2", "docs/dlo"}) {
        (void)Send(http::Method::kDelete, "/" + http::PercentEncode(name, true), {});
      }
      (void)Send(http::Method::kDelete, "", {});
    }
    delete shared_;
    shared_ = nullptr;
  }

  static Result<http::Response> Send(http::Method method, const std::string& suffix,
                                     Headers headers, std::string body = {}) {
    return testing::SendToContainer(*shared_->http, *shared_->tokens, shared_->logger,
                                    shared_->container, method, suffix, headers, body);
  }

  // PUTs an object; a transient failure (transport, 5xx) of the busy local server is
  // retried twice.
  static void Put(const std::string& name, const std::string& body, Headers headers = {}) {
    Result<http::Response> response = MakeError(ErrorCode::kInternal, "not sent");
    for (int attempt = 0; attempt < 3; ++attempt) {
      response = Send(http::Method::kPut, "/" + http::PercentEncode(name, true), headers, body);
      if (response.ok() && response->status < 500) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    ASSERT_TRUE(response.ok()) << name << ": " << response.error().ToString();
    ASSERT_EQ(response->status, 201) << "PUT " << name << ": " << response->body;
  }

  void SetUp() override {
    if (!shared_->skip_reason.empty()) GTEST_SKIP() << shared_->skip_reason;
  }

  std::unique_ptr<Filesystem> Mount(std::string container, std::string prefix = {}) {
    FsOptions options;
    options.container = std::move(container);
    options.prefix = std::move(prefix);
    options.uid = getuid();
    options.gid = getgid();
    readers_ = std::make_unique<cache::SimpleFileReaderFactory>(*shared_->client);
    auto fs = std::make_unique<Filesystem>(options, *shared_->client, *readers_, shared_->clock,
                                           shared_->logger, shared_->counters);
    Status init = fs->Init();
    EXPECT_TRUE(init.ok()) << (init.ok() ? "" : init.error().ToString());
    return fs;
  }

  static InodeId Walk(Filesystem& fs, const std::string& path) {
    InodeId ino = kRootInode;
    for (const std::string& part : Split(path, '/')) {
      auto e = fs.Lookup(ino, part);
      EXPECT_TRUE(e.ok()) << path << ": " << (e.ok() ? "" : e.error().ToString());
      if (!e) return 0;
      ino = e->ino;
    }
    return ino;
  }

  static std::vector<std::string> Names(Filesystem& fs, InodeId ino) {
    std::vector<std::string> names;
    auto handle = fs.OpenDir(ino);
    EXPECT_TRUE(handle.ok());
    if (!handle) return names;
    EXPECT_TRUE(fs.ReadDir(ino, *handle, 0, true, [&](const DirEntry& e) {
                    if (e.name != "." && e.name != "..") names.push_back(e.name);
                    return true;
                  }).ok());
    fs.ReleaseDir(*handle);
    return names;
  }

  static Result<std::string> ReadAll(Filesystem& fs, InodeId ino) {
    auto open = fs.Open(ino, O_RDONLY);
    if (!open) return std::move(open).error();
    std::string data;
    std::vector<char> buf(128 * 1024);
    while (true) {
      auto got = fs.Read(open->handle, data.size(), buf);
      if (!got) {
        fs.Release(open->handle);
        return std::move(got).error();
      }
      if (*got == 0) break;
      data.append(buf.data(), *got);
    }
    fs.Release(open->handle);
    return data;
  }

  std::unique_ptr<cache::SimpleFileReaderFactory> readers_;
};

TEST_F(FilesystemIntegrationTest, TreeMatchesTheObjects) {
  auto fs = Mount(shared_->container);
  EXPECT_EQ(Names(*fs, kRootInode), (std::vector<std::string>{"docs", "segs"}));
  const InodeId docs = Walk(*fs, "docs");
  EXPECT_EQ(Names(*fs, docs),
            (std::vector<std::string>{"a", "dlo", "link", "marker", "odd name %#?+&.txt",
                                      "readme.txt", "sub"}));
  auto a = fs->GetAttr(Walk(*fs, "docs/a"));
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(S_ISDIR(a->attr.st_mode));
  EXPECT_TRUE(S_ISDIR(fs->GetAttr(Walk(*fs, "docs/marker"))->attr.st_mode));
  EXPECT_EQ(*ReadAll(*fs, Walk(*fs, "docs/odd name %#?+&.txt")), "odd");
}

TEST_F(FilesystemIntegrationTest, ColdLookupsReadsAndAttributes) {
  auto fs = Mount(shared_->container);  // no readdir: every lookup goes to Swift
  const InodeId readme = Walk(*fs, "docs/readme.txt");
  auto attr = fs->GetAttr(readme);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 5);
  EXPECT_EQ(*ReadAll(*fs, readme), "hello");
  EXPECT_EQ(*fs->GetXattr(readme, "user.swift.meta.color"), "blue");
  EXPECT_EQ(*fs->GetXattr(readme, "user.swift.etag"), testing::Md5Hex("hello"));
  auto deep = ReadAll(*fs, Walk(*fs, "docs/sub/deep.bin"));
  ASSERT_TRUE(deep.ok());
  EXPECT_TRUE(*deep == Pattern(1024 * 1024 + 7));
  EXPECT_EQ(fs->Lookup(Walk(*fs, "docs"), "missing").error().code, ErrorCode::kNotFound);
}

TEST_F(FilesystemIntegrationTest, AColdLookupIsOneBoundedListing) {
  auto fs = Mount(shared_->container, "docs");
  Counters& counters = shared_->counters;
  const uint64_t lists = counters.Get(Counter::kListRequests);
  const uint64_t heads = counters.Get(Counter::kHeadRequests);
  auto readme = fs->Lookup(kRootInode, "readme.txt");  // prefix + end_marker, no HEAD
  ASSERT_TRUE(readme.ok()) << readme.error().ToString();
  EXPECT_TRUE(S_ISREG(readme->attr.st_mode));
  EXPECT_EQ(readme->attr.st_size, 5);
  auto a = fs->Lookup(kRootInode, "a");  // the object a and a/b: a directory
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(S_ISDIR(a->attr.st_mode));
  EXPECT_EQ(counters.Get(Counter::kListRequests), lists + 2);
  EXPECT_EQ(Names(*fs, a->ino), (std::vector<std::string>{"b"}));  // from the probe
  // The third name asked about in docs/ lists it: the rest is answered from the listing.
  auto odd = fs->Lookup(kRootInode, "odd name %#?+&.txt");
  ASSERT_TRUE(odd.ok());
  EXPECT_EQ(odd->attr.st_size, 3);
  EXPECT_EQ(fs->Lookup(kRootInode, "missing").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(S_ISDIR(fs->Lookup(kRootInode, "sub")->attr.st_mode));
  EXPECT_EQ(counters.Get(Counter::kListRequests), lists + 3);
  // No HEAD to resolve a name; with mtime=meta (the default) each file looked up costs its
  // version's HEAD, once (readme.txt, the odd name).
  EXPECT_EQ(counters.Get(Counter::kHeadRequests), heads + 2);
}

TEST_F(FilesystemIntegrationTest, DloAndSymlink) {
  auto fs = Mount(shared_->container);
  const InodeId docs = Walk(*fs, "docs");
  Names(*fs, docs);  // fill the listing: the DLO lists as 0 bytes
  const InodeId dlo = Walk(*fs, "docs/dlo");
  auto attr = fs->GetAttr(dlo);
  ASSERT_TRUE(attr.ok());
  EXPECT_EQ(attr->attr.st_size, 12);
  EXPECT_EQ(*ReadAll(*fs, dlo), "first-second");
  auto target = fs->ReadLink(Walk(*fs, "docs/link"));
  ASSERT_TRUE(target.ok()) << target.error().ToString();
  EXPECT_EQ(*target, "readme.txt");
}

TEST_F(FilesystemIntegrationTest, PrefixRootAndStatFs) {
  auto fs = Mount(shared_->container, "docs/sub");
  EXPECT_EQ(Names(*fs, kRootInode), (std::vector<std::string>{"deep.bin"}));
  auto st = fs->StatFs();
  ASSERT_TRUE(st.ok());
  EXPECT_GT(st->f_files, 0u);
}

TEST_F(FilesystemIntegrationTest, OverwriteAfterOpenIsStale) {
  Put("docs/changing", "version one");
  auto fs = Mount(shared_->container);
  auto open = fs->Open(Walk(*fs, "docs/changing"), O_RDONLY);
  ASSERT_TRUE(open.ok());
  Put("docs/changing", "version two!");
  std::vector<char> buf(64);
  auto got = fs->Read(open->handle, 0, buf);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::kPreconditionFailed);
  fs->Release(open->handle);
  (void)Send(http::Method::kDelete, "/docs/changing", {});
}

}  // namespace
}  // namespace swiftfs::core
