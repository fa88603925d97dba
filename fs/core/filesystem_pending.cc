// The write operations not built yet: each refuses with kNotSupported until the file that
// implements it (filesystem_names.cc for the namespace) takes it over and deletes it from here.
// Nothing here is meant to stay.

#include "core/filesystem_impl.h"

namespace swiftfs::core {
namespace {

Error NotYet(std::string_view op) {
  return MakeError(ErrorCode::kNotSupported, std::string(op) + ": not supported yet");
}

}  // namespace

Result<EntryReply> Filesystem::Impl::MkDir(InodeId, std::string_view, mode_t) {
  return NotYet("mkdir");
}
Status Filesystem::Impl::RmDir(InodeId, std::string_view) { return NotYet("rmdir"); }
Status Filesystem::Impl::Unlink(InodeId, std::string_view) { return NotYet("unlink"); }
Status Filesystem::Impl::Rename(InodeId, std::string_view, InodeId, std::string_view, RenameMode) {
  return NotYet("rename");
}
Status Filesystem::Impl::SetXattr(InodeId, std::string_view, std::string_view, int) {
  return NotYet("setxattr");
}
Status Filesystem::Impl::RemoveXattr(InodeId, std::string_view) { return NotYet("removexattr"); }

}  // namespace swiftfs::core
