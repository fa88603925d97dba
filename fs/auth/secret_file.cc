#include "auth/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace swiftfs::auth {

namespace {

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

constexpr size_t kMaxSecretFile = size_t{64} * 1024;

}  // namespace

Result<Secret> ReadSecretFile(const std::string& path, std::string_view option) {
  const std::string where = "-o " + std::string(option) + "=" + path;
  // Check the file we opened (fstat), not the name, so it cannot be swapped in between.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, on one thread
    return MakeError(ErrorCode::kConfig, where + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, on one thread
    return MakeError(ErrorCode::kConfig, where + ": cannot stat: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorCode::kConfig, where + ": not a regular file");
  }
  if (st.st_uid != ::geteuid()) {
    return MakeError(ErrorCode::kConfig, where + ": owned by uid " + std::to_string(st.st_uid) +
                                             ", not by you (uid " + std::to_string(::geteuid()) +
                                             "); refusing it");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return MakeError(ErrorCode::kConfig,
                     where + ": mode " + mode + " lets others access it; run chmod 600 " + path);
  }
  std::string content;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up, on one thread
      return MakeError(ErrorCode::kConfig, where + ": cannot read: " + std::strerror(errno));
    }
    if (n == 0) break;
    content.append(buffer, static_cast<size_t>(n));
    if (content.size() > kMaxSecretFile) {
      Secret wipe(std::move(content));
      return MakeError(ErrorCode::kConfig, where + ": larger than a secret can be");
    }
  }
  std::memset(buffer, 0, sizeof buffer);
  if (!content.empty() && content.back() == '\n') content.pop_back();
  if (!content.empty() && content.back() == '\r') content.pop_back();
  if (content.empty()) return MakeError(ErrorCode::kConfig, where + ": the file is empty");
  return Secret(std::move(content));
}

}  // namespace swiftfs::auth
