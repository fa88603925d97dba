#pragma once
// Fixture of the namespace operation tests (mkdir, rmdir, unlink, rename, xattrs): a
// writable Filesystem over the FakeObjectClient seen through LaggingListings, so a test
// can make Swift's listings lag behind its objects (Freeze) as they do after writes.

#include <memory>
#include <string>

#include "filesystem_fixture.h"
#include "lagging_listings.h"

namespace swiftfs::core {

class FilesystemNamesTest : public FilesystemTest {
 protected:
  FilesystemNamesTest() : lagging_(fake_) { options_.read_only = false; }

  Filesystem& MountWritable() {
    readers_ = std::make_unique<cache::SimpleFileReaderFactory>(lagging_);
    fs_ = std::make_unique<Filesystem>(options_, lagging_, *readers_, clock_, logger_, counters_);
    Status init = fs_->Init();
    EXPECT_TRUE(init.ok()) << (init.ok() ? "" : init.error().ToString());
    fake_.ResetCounters();
    return *fs_;
  }

  // Lets every cached listing go stale, so the next readdir or lookup lists again.
  void ExpireListings() { clock_.Advance(std::chrono::seconds(61)); }

  bool Stored(const std::string& name, const std::string& container = "c") const {
    return fake_.Stored(container, name).has_value();
  }
  // Requests that change something in Swift.
  uint64_t Writes() const {
    using Op = testing::FakeObjectClient::Op;
    uint64_t total = 0;
    for (Op op : {Op::kUploadObject, Op::kUploadManifest, Op::kDeleteObject, Op::kCopyObject,
                  Op::kPostObject, Op::kPutContainer, Op::kDeleteContainer}) {
      total += fake_.Count(op);
    }
    return total;
  }

  testing::LaggingListings lagging_;
};

}  // namespace swiftfs::core
