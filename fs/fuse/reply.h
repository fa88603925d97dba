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

// Replies with the errno of `error` and logs "<op> <what>: <error>" at the level the
// error deserves. `what` names the inode / name / handle concerned.
void ReplyError(fuse_req_t req, std::string_view op, const std::string& what, const Error& error);

// Fills the callback table's write operations, each answering EROFS.
void AddReadOnlyOperations(fuse_lowlevel_ops& ops);

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
