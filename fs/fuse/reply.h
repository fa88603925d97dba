#pragma once
// Helpers shared by the callbacks: finding the adapter of a request, answering an Error
// with its errno (and a log line), and the guard that keeps exceptions out of libfuse.

#include <fuse_lowlevel.h>

#include <exception>
#include <string>
#include <string_view>

#include "swiftfs/common/error.h"
#include "swiftfs/fuse/errno_map.h"
#include "swiftfs/fuse/fuse_adapter.h"

namespace swiftfs::fuse::internal {

inline FuseAdapter& AdapterOf(fuse_req_t req) {
  return *static_cast<FuseAdapter*>(fuse_req_userdata(req));
}

// "ino=5", "parent=1 name='x'": what a log line says an operation concerned.
inline std::string Ino(fuse_ino_t ino) { return "ino=" + std::to_string(ino); }
inline std::string InoName(fuse_ino_t parent, const char* name) {
  return "parent=" + std::to_string(parent) + " name='" + name + "'";
}

inline fuse_entry_param ToEntryParam(const core::EntryReply& e) {
  fuse_entry_param param{};
  param.ino = e.ino;
  param.generation = e.generation;
  param.attr = e.attr;
  param.attr_timeout = e.attr_timeout.count();
  param.entry_timeout = e.entry_timeout.count();
  return param;
}

// Replies with the errno of `error` and logs "<op> <what>: <error>" at the level the
// error deserves. `what` names the inode / name / handle concerned.
void ReplyError(fuse_req_t req, std::string_view op, const std::string& what, const Error& error);

// Fills the callback table's write operations (write_ops.cc).
void AddWriteOperations(fuse_lowlevel_ops& ops);

// Runs `body`, which must reply to `req` as its last action. If it throws before replying,
// the request is answered with EIO (or, for operations without a reply such as forget,
// with fuse_reply_none) and the exception is logged: no exception reaches libfuse.
template <typename Body>
void Guarded(fuse_req_t req, const char* op, bool needs_reply, Body&& body) noexcept {
  const char* reason = nullptr;
  try {
    body();
    return;
  } catch (const std::exception& e) {
    reason = e.what();
  } catch (...) {
    reason = "unknown exception";
  }
  try {
    AdapterOf(req).logger().Error(std::string(op) + ": internal error: " + reason);
  } catch (...) {
    // Logging itself failed (out of memory): still answer the kernel below.
  }
  if (needs_reply) {
    fuse_reply_err(req, EIO);
  } else {
    fuse_reply_none(req);
  }
}

}  // namespace swiftfs::fuse::internal
