#include "core/staging_area.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace swiftfs::core {

namespace {

Error SystemError(std::string what, int err) {
  const ErrorCode code =
      (err == ENOSPC || err == EDQUOT) ? ErrorCode::kNoSpace : ErrorCode::kInternal;
  return MakeError(code, std::move(what) + ": " + ErrnoText(err));
}

}  // namespace

std::string DefaultStagingDir() {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  if (cache != nullptr && cache[0] == '/') return std::string(cache) + "/swiftfs";
  return "/var/tmp";
}

StagingFile::~StagingFile() { ::close(fd_); }

Status StagingFile::Write(uint64_t offset, std::span<const char> data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n =
        ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError("staging write", errno);
    }
    done += static_cast<size_t>(n);
  }
  return OkStatus();
}

Result<size_t> StagingFile::Read(uint64_t offset, std::span<char> buffer) {
  size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n =
        ::pread(fd_, buffer.data() + done, buffer.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return SystemError("staging read", errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

Status StagingFile::Resize(uint64_t size) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return SystemError("staging resize", errno);
  return OkStatus();
}

StagingArea::StagingArea(std::string dir, uint64_t capacity, cache::SharedSpace* shared)
    : dir_(dir.empty() ? DefaultStagingDir() : std::move(dir)),
      capacity_(capacity),
      shared_(shared) {
  ::mkdir(dir_.c_str(), 0700);  // EEXIST is the common case; NewFile reports real trouble
}

Result<std::unique_ptr<StagingFile>> StagingArea::NewFile() {
  int fd = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // A filesystem without O_TMPFILE: a named file, unlinked at once.
    std::string path = dir_ + "/swiftfs-staging-XXXXXX";
    std::vector<char> name(path.begin(), path.end());
    name.push_back('\0');
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.data());
  }
  if (fd < 0) return SystemError("staging file in " + dir_, errno);
  return std::make_unique<StagingFile>(fd);
}

bool StagingArea::Reserve(uint64_t bytes) {
  uint64_t used = used_.load();
  do {
    if (used + bytes > capacity_) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes));
  if (shared_ != nullptr && !shared_->Take(bytes)) {
    used_.fetch_sub(bytes);
    return false;
  }
  return true;
}

void StagingArea::Unreserve(uint64_t bytes) {
  used_.fetch_sub(bytes);
  if (shared_ != nullptr && bytes > 0) shared_->Give(bytes);
}

}  // namespace swiftfs::core
