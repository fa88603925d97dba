#pragma once
// Shared fixture of the Filesystem tests: a Filesystem over a FakeObjectClient and a
// FakeClock, and helpers that walk paths and read whole directories.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fake_clock.h"
#include "support/fake_object_client.h"
#include "swiftfs/cache/simple_file_reader.h"
#include "swiftfs/common/counters.h"
#include "swiftfs/common/log.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/core/filesystem.h"

namespace swiftfs::core {

class FilesystemTest : public ::testing::Test {
 protected:
  // The request counts of these tests are about listings and HEADs for sizes, so they run
  // with mtime=server (no HEAD for an mtime); filesystem_mtime_test.cc covers mtime=meta.
  FilesystemTest() {
    options_.container = "c";
    options_.mtime = MtimeSource::kServer;
  }

  // Builds the filesystem (after the test set options_ and filled fake_) and runs Init.
  Filesystem& Mount() {
    readers_ = std::make_unique<cache::SimpleFileReaderFactory>(fake_);
    fs_ = std::make_unique<Filesystem>(options_, fake_, *readers_, clock_, logger_, counters_);
    Status init = fs_->Init();
    EXPECT_TRUE(init.ok()) << (init.ok() ? "" : init.error().ToString());
    fake_.ResetCounters();
    return *fs_;
  }

  // Looks up each component of "a/b/c" from the root; the final reply.
  Result<EntryReply> LookupPath(const std::string& path) {
    InodeId ino = kRootInode;
    Result<EntryReply> reply = MakeError(ErrorCode::kInvalidArgument, "empty path");
    for (const std::string& part : Split(path, '/')) {
      reply = fs_->Lookup(ino, part);
      if (!reply) return reply;
      ino = reply->ino;
    }
    return reply;
  }

  InodeId Ino(const std::string& path) {
    auto reply = LookupPath(path);
    EXPECT_TRUE(reply.ok()) << path << ": " << (reply.ok() ? "" : reply.error().ToString());
    return reply.ok() ? reply->ino : 0;
  }

  // Every entry of directory `ino` except "." and "..", read in one handle.
  std::vector<DirEntry> ReadAll(InodeId ino, bool plus) {
    std::vector<DirEntry> entries;
    auto handle = fs_->OpenDir(ino);
    EXPECT_TRUE(handle.ok());
    if (!handle) return entries;
    uint64_t offset = 0;
    while (true) {
      size_t got = 0;
      Status s = fs_->ReadDir(ino, *handle, offset, plus, [&](const DirEntry& e) {
        if (got == 1000) return false;  // a "full buffer" every 1000 entries
        ++got;
        offset = e.next_offset;
        if (e.name != "." && e.name != "..") entries.push_back(e);
        return true;
      });
      EXPECT_TRUE(s.ok());
      if (!s || got == 0) break;
    }
    fs_->ReleaseDir(*handle);
    return entries;
  }

  std::vector<std::string> Names(InodeId ino) {
    std::vector<std::string> names;
    for (const DirEntry& e : ReadAll(ino, false)) names.push_back(e.name);
    return names;
  }

  Result<std::string> ReadFile(InodeId ino, size_t chunk = 4096) {
    auto open = fs_->Open(ino, 0);
    if (!open) return std::move(open).error();
    std::string data;
    std::vector<char> buf(chunk);
    while (true) {
      auto got = fs_->Read(open->handle, data.size(), buf);
      if (!got) {
        fs_->Release(open->handle);
        return std::move(got).error();
      }
      if (*got == 0) break;
      data.append(buf.data(), *got);
    }
    fs_->Release(open->handle);
    return data;
  }

  testing::FakeObjectClient fake_;
  testing::FakeClock clock_;
  NullLogger logger_;
  Counters counters_;
  FsOptions options_;
  std::unique_ptr<cache::SimpleFileReaderFactory> readers_;
  std::unique_ptr<Filesystem> fs_;
};

}  // namespace swiftfs::core
