#include "auth/ca_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace swiftfs::auth {

Result<std::string> ResolveCaFile(const std::string& path, const std::string& origin,
                                  const std::string& base_dir) {
  if (path.empty()) return std::string();
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path base = base_dir.empty() ? fs::current_path(ec) : fs::path(base_dir);
  if (ec) {
    return MakeError(ErrorCode::kConfig, origin + " '" + path +
                                             "' is relative and the current directory is "
                                             "unknown (" +
                                             ec.message() + "); give an absolute path");
  }
  const fs::path absolute =
      (fs::path(path).is_absolute() ? fs::path(path) : base / path).lexically_normal();
  const std::string shown = origin + " '" + path + "'" +
                            (absolute.string() == path ? "" : " (" + absolute.string() + ")");
  const fs::file_status status = fs::status(absolute, ec);
  if (!fs::exists(status)) {
    return MakeError(ErrorCode::kConfig, shown + " does not exist");
  }
  if (!fs::is_regular_file(status)) {
    return MakeError(ErrorCode::kConfig, shown + " is not a file (a PEM bundle is expected)");
  }
  std::ifstream probe(absolute);
  if (!probe) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the configuration is loaded at start-up, on one thread
    return MakeError(ErrorCode::kConfig, shown + " cannot be read: " + std::strerror(errno));
  }
  return absolute.string();
}

}  // namespace swiftfs::auth
