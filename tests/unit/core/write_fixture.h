#pragma once
// Fixture of the write tests: a read-write Filesystem over a WritableFake (the fake
// account plus write verbs), a small segment size so large-file paths run on kilobytes,
// and a private staging directory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"
#include "swiftfs/cache/simple_file_reader.h"
#include "swiftfs/common/log.h"
#include "swiftfs/core/filesystem.h"
#include "unit/core/writable_fake.h"

namespace swiftfs::core {

class WriteTest : public ::testing::Test {
 public:
  static constexpr uint64_t kSegment = 4096;

 protected:
  using Verb = testing::WritableFake::Verb;

  WriteTest() {
    char dir[] = "/tmp/swiftfs-write-test-XXXXXX";
    staging_ = mkdtemp(dir);
    options_.container = "c";
    options_.read_only = false;
    options_.segment_size = kSegment;
    options_.staging_dir = staging_;
    fake_.CreateContainer("c");
  }
  ~WriteTest() override {
    fs_.reset();
    std::filesystem::remove_all(staging_);
  }

  Filesystem& Mount() {
    readers_ = std::make_unique<cache::SimpleFileReaderFactory>(client_);
    fs_ = std::make_unique<Filesystem>(options_, client_, *readers_, clock_, logger_, counters_);
    Status init = fs_->Init();
    EXPECT_TRUE(init.ok()) << (init.ok() ? "" : init.error().ToString());
    fake_.ResetCounters();
    return *fs_;
  }

  // A deterministic pattern of `size` bytes (differs per `seed`).
  static std::string Pattern(size_t size, int seed = 0) {
    std::string s(size, '\0');
    for (size_t i = 0; i < size; ++i)
      s[i] = static_cast<char>('a' + (i * 7 + seed * 13 + i / 251) % 26);
    return s;
  }

  // Creates `name` in the root, returns the handle; 0 on failure.
  uint64_t CreateFile(const std::string& name, int flags = O_WRONLY | O_CREAT) {
    auto created = fs_->Create(kRootInode, name, 0644, flags);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().ToString());
    if (!created) return 0;
    ino_ = created->entry.ino;
    return created->open.handle;
  }
  InodeId Lookup(const std::string& name) {
    auto e = fs_->Lookup(kRootInode, name);
    EXPECT_TRUE(e.ok()) << name << ": " << (e.ok() ? "" : e.error().ToString());
    return e.ok() ? e->ino : 0;
  }
  uint64_t OpenFile(InodeId ino, int flags) {
    auto open = fs_->Open(ino, flags);
    EXPECT_TRUE(open.ok()) << (open.ok() ? "" : open.error().ToString());
    return open.ok() ? open->handle : 0;
  }
  // Writes `data` at `offset` in pieces of `chunk`.
  void WriteAll(uint64_t handle, const std::string& data, uint64_t offset = 0,
                size_t chunk = 1000) {
    for (size_t done = 0; done < data.size(); done += chunk) {
      const size_t n = std::min(chunk, data.size() - done);
      auto wrote = fs_->Write(handle, offset + done, std::span<const char>(data.data() + done, n));
      ASSERT_TRUE(wrote.ok()) << wrote.error().ToString();
      ASSERT_EQ(*wrote, n);
    }
  }
  std::string ReadHandle(uint64_t handle, size_t max = 1 << 22) {
    std::string out(max, '\0');
    size_t done = 0;
    while (done < max) {
      auto got = fs_->Read(handle, done,
                           std::span<char>(out.data() + done, std::min<size_t>(8192, max - done)));
      EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().ToString());
      if (!got || *got == 0) break;
      done += *got;
    }
    out.resize(done);
    return out;
  }
  std::optional<std::string> Stored(const std::string& name) { return client_.Data("c", name); }
  std::vector<std::string> Segments() { return client_.Names("c_segments"); }

  testing::FakeObjectClient fake_;
  testing::WritableFake client_{fake_};
  testing::FakeClock clock_;
  NullLogger logger_;
  Counters counters_;
  FsOptions options_;
  std::string staging_;
  InodeId ino_ = 0;
  std::unique_ptr<cache::SimpleFileReaderFactory> readers_;
  std::unique_ptr<Filesystem> fs_;
};

}  // namespace swiftfs::core
