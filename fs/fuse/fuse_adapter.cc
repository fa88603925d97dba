// The read half of the callback table: each callback is a thin translation of one
// fuse_lowlevel request into one core::Filesystem call. Replies are built from values the
// Filesystem returned, after it returned, so no core lock is ever held across a
// fuse_reply_*.

#include "swiftfs/fuse/fuse_adapter.h"

#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "fuse/dirent_buffer.h"
#include "fuse/interrupts.h"
#include "fuse/reply.h"
#include "swiftfs/fuse/errno_map.h"

namespace swiftfs::fuse {
namespace {

using internal::AdapterOf;
using internal::Guarded;
using internal::Ino;
using internal::InoName;
using internal::ReplyError;
using internal::ToEntryParam;

void Init(void* userdata, fuse_conn_info* conn) {
  auto& adapter = *static_cast<FuseAdapter*>(userdata);
  // readdirplus: `ls -l` gets every entry's attributes with the listing page that already
  // carries them, instead of one LOOKUP round trip per name. _AUTO lets the kernel use
  // plain readdir when nobody stats the entries (`find`, `ls` without -l), so a walk of a
  // huge tree does not pin one inode per name.
  if (conn->capable & FUSE_CAP_READDIRPLUS) {
    conn->want |= FUSE_CAP_READDIRPLUS;
    if (conn->capable & FUSE_CAP_READDIRPLUS_AUTO) conn->want |= FUSE_CAP_READDIRPLUS_AUTO;
  }
  // Several reads of one file may be in flight at once (the kernel's readahead next to
  // the application's reads): the reader serves them from parallel ranged GETs.
  if (conn->capable & FUSE_CAP_ASYNC_READ) conn->want |= FUSE_CAP_ASYNC_READ;
  // Lookups and readdirs of one directory run concurrently; the Filesystem is thread-safe.
  if (conn->capable & FUSE_CAP_PARALLEL_DIROPS) conn->want |= FUSE_CAP_PARALLEL_DIROPS;
  // When getattr reports a new size or mtime (the object was replaced), the kernel drops
  // the pages it cached of the old version.
  if (conn->capable & FUSE_CAP_AUTO_INVAL_DATA) conn->want |= FUSE_CAP_AUTO_INVAL_DATA;
  // open(O_TRUNC) arrives as one OPEN with O_TRUNC instead of a SETATTR(size 0) before it:
  // the core then starts the new version without ever storing an empty one in Swift.
  if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  // Not wanted: SPLICE_READ/WRITE/MOVE (replies come from memory we own; splicing them
  // would only add a pipe copy), CACHE_SYMLINKS (a replaced Swift symlink would keep its old
  // target in the page cache), and WRITEBACK_CACHE: with it the kernel would keep written
  // pages and send them later, in any order, take over st_size and mtime while pages are
  // dirty, read back partial pages (a read of the object being uploaded), and report upload
  // errors only at fsync/close, if at all. Without it each write(2) reaches the core when it
  // happens and close(2) sees every byte written before it (man page: SEMANTICS, Writes).
  conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE |
                  FUSE_CAP_WRITEBACK_CACHE);
  // conn->max_readahead starts at the kernel's maximum, and a filesystem can only lower
  // it: keep it. Reads of up to max_pages (libfuse negotiates 1 MiB) reach us in one
  // request. More background requests let the kernel's readahead of several files (or of
  // one file far ahead) run in parallel.
  conn->max_background = std::max<unsigned>(conn->max_background, 64);
  conn->congestion_threshold = conn->max_background * 3 / 4;
  adapter.logger().Info("fuse: protocol " + std::to_string(conn->proto_major) + "." +
                        std::to_string(conn->proto_minor) +
                        ", max_readahead=" + std::to_string(conn->max_readahead) +
                        " max_read=" + std::to_string(conn->max_read) +
                        " max_background=" + std::to_string(conn->max_background) +
                        (conn->want & FUSE_CAP_READDIRPLUS ? " readdirplus" : ""));
}

// Runs `op` with the interrupt flag of `req` (a Ctrl-C of the caller sets it), which ends
// a wait on the network with kCancelled (EINTR). The scope ends before the caller replies.
template <typename Op>
auto Interruptible(fuse_req_t req, Op&& op) {
  internal::Interrupts::Scope interruptible(AdapterOf(req).interrupts(), req);
  return std::forward<Op>(op)(interruptible.flag());
}

void Lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  Guarded(req, "lookup", true, [&] {
    auto& fs = AdapterOf(req).filesystem();
    // Interruptible: with mtime=meta a small file's lookup may GET it whole.
    auto entry = Interruptible(
        req, [&](const std::atomic<bool>* cancel) { return fs.Lookup(parent, name, cancel); });
    if (entry) {
      fuse_entry_param param = ToEntryParam(*entry);
      // An interrupted lookup's reply is dropped: the kernel never counted this lookup
      // and will never forget it, so we do.
      if (fuse_reply_entry(req, &param) != 0) fs.Forget(entry->ino, 1);
      return;
    }
    if (entry.error().code == ErrorCode::kNotFound) {
      // A negative entry (ino 0) lets the kernel answer the next lookup of this name
      // itself for a while; without a timeout it is a plain ENOENT.
      const auto timeout = fs.NegativeEntryTimeout().count();
      if (timeout > 0) {
        fuse_entry_param param{};
        param.ino = 0;
        param.entry_timeout = timeout;
        fuse_reply_entry(req, &param);
        return;
      }
    }
    ReplyError(req, "lookup", InoName(parent, name), entry.error());
  });
}

void Forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
  Guarded(req, "forget", false, [&] {
    AdapterOf(req).filesystem().Forget(ino, nlookup);
    fuse_reply_none(req);
  });
}

void ForgetMulti(fuse_req_t req, size_t count, fuse_forget_data* forgets) {
  Guarded(req, "forget_multi", false, [&] {
    auto& fs = AdapterOf(req).filesystem();
    for (const auto& f : std::span(forgets, count)) fs.Forget(f.ino, f.nlookup);
    fuse_reply_none(req);
  });
}

void GetAttr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
  Guarded(req, "getattr", true, [&] {
    auto attr = Interruptible(req, [&](const std::atomic<bool>* cancel) {
      return AdapterOf(req).filesystem().GetAttr(ino, cancel);
    });
    if (!attr) return ReplyError(req, "getattr", Ino(ino), attr.error());
    fuse_reply_attr(req, &attr->attr, attr->timeout.count());
  });
}

void ReadLink(fuse_req_t req, fuse_ino_t ino) {
  Guarded(req, "readlink", true, [&] {
    auto target = AdapterOf(req).filesystem().ReadLink(ino);
    if (!target) return ReplyError(req, "readlink", Ino(ino), target.error());
    fuse_reply_readlink(req, target->c_str());
  });
}

void OpenDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Guarded(req, "opendir", true, [&] {
    auto handle = AdapterOf(req).filesystem().OpenDir(ino);
    if (!handle) return ReplyError(req, "opendir", Ino(ino), handle.error());
    fi->fh = *handle;
    if (fuse_reply_open(req, fi) != 0) {
      // The opener was interrupted: the kernel will never release this handle.
      AdapterOf(req).filesystem().ReleaseDir(*handle);
    }
  });
}

void ReadDirCommon(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi,
                   bool plus) {
  const char* op = plus ? "readdirplus" : "readdir";
  Guarded(req, op, true, [&] {
    DirentBuffer buffer(size, plus);
    Status status = FillDirBuffer(AdapterOf(req).filesystem(), ino, fi->fh,
                                  static_cast<uint64_t>(offset), buffer);
    // Entries already packed are sent even if the listing then failed: in readdirplus
    // each of them counted as a lookup, which only the kernel receiving them can forget.
    // The error recurs on the next call, which starts after them.
    if (!status.ok() && buffer.empty()) {
      return ReplyError(req, op, Ino(ino) + " offset=" + std::to_string(offset), status.error());
    }
    if (!status.ok()) {
      AdapterOf(req).logger().Warning(std::string(op) + " " + Ino(ino) + ": partial page, then " +
                                      status.error().ToString());
    }
    if (fuse_reply_buf(req, buffer.data().data(), buffer.data().size()) != 0) {
      // Not delivered (interrupted): the lookups its entries carried are not the kernel's.
      for (core::InodeId counted : buffer.counted()) AdapterOf(req).filesystem().Forget(counted, 1);
    }
  });
}

void ReadDir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  ReadDirCommon(req, ino, size, offset, fi, false);
}

void ReadDirPlus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  ReadDirCommon(req, ino, size, offset, fi, true);
}

void ReleaseDir(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
  Guarded(req, "releasedir", true, [&] {
    AdapterOf(req).filesystem().ReleaseDir(fi->fh);
    fuse_reply_err(req, 0);
  });
}

void Open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  Guarded(req, "open", true, [&] {
    auto& fs = AdapterOf(req).filesystem();
    auto opened = Interruptible(
        req, [&](const std::atomic<bool>* cancel) { return fs.Open(ino, fi->flags, cancel); });
    if (!opened) return ReplyError(req, "open", Ino(ino), opened.error());
    fi->fh = opened->handle;
    fi->keep_cache = opened->keep_cache ? 1 : 0;
    // Page-cache reads (no direct_io): the kernel's readahead gives us large sequential
    // requests and repeated reads of a small file cost nothing.
    fi->direct_io = 0;
    if (fuse_reply_open(req, fi) != 0) fs.Release(opened->handle);
  });
}

void Read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  Guarded(req, "read", true, [&] {
    if (offset < 0)
      return ReplyError(req, "read", Ino(ino),
                        MakeError(ErrorCode::kInvalidArgument, "negative offset"));
    // The bytes stay where the reader holds them (a prefetched part, usually): one writev
    // copies them into the kernel, and the view keeps them alive until then. An interrupt
    // (Ctrl-C) stops the read: it fails with kCancelled, answered EINTR.
    auto view = Interruptible(req, [&](const std::atomic<bool>* cancel) {
      return AdapterOf(req).filesystem().ReadInPlace(fi->fh, static_cast<uint64_t>(offset), size,
                                                     cancel);
    });
    if (!view) {
      return ReplyError(
          req, "read",
          Ino(ino) + " offset=" + std::to_string(offset) + " size=" + std::to_string(size),
          view.error());
    }
    std::vector<iovec> iov;
    iov.reserve(view->pieces.size());
    for (std::span<const char> piece : view->pieces) {
      iov.push_back(iovec{const_cast<char*>(piece.data()), piece.size()});
    }
    if (iov.empty()) return static_cast<void>(fuse_reply_buf(req, nullptr, 0));  // end of file
    fuse_reply_iov(req, iov.data(), static_cast<int>(iov.size()));
  });
}

void Release(fuse_req_t req, fuse_ino_t, fuse_file_info* fi) {
  Guarded(req, "release", true, [&] {
    AdapterOf(req).filesystem().Release(fi->fh);
    fuse_reply_err(req, 0);
  });
}

void StatFs(fuse_req_t req, fuse_ino_t ino) {
  Guarded(req, "statfs", true, [&] {
    auto st = AdapterOf(req).filesystem().StatFs();
    if (!st) return ReplyError(req, "statfs", Ino(ino), st.error());
    fuse_reply_statfs(req, &*st);
  });
}

// getxattr/listxattr size protocol: size 0 asks how many bytes the value needs; a value
// larger than `size` is ERANGE; otherwise the value itself.
void ReplyXattrValue(fuse_req_t req, const std::string& value, size_t size) {
  if (size == 0) {
    fuse_reply_xattr(req, value.size());
  } else if (value.size() > size) {
    fuse_reply_err(req, ERANGE);
  } else {
    fuse_reply_buf(req, value.data(), value.size());
  }
}

void GetXattr(fuse_req_t req, fuse_ino_t ino, const char* name, size_t size) {
  Guarded(req, "getxattr", true, [&] {
    auto value = AdapterOf(req).filesystem().GetXattr(ino, name);
    if (!value) {
      return ReplyError(req, "getxattr", Ino(ino) + " name='" + name + "'", value.error());
    }
    ReplyXattrValue(req, *value, size);
  });
}

void ListXattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
  Guarded(req, "listxattr", true, [&] {
    auto names = AdapterOf(req).filesystem().ListXattr(ino);
    if (!names) return ReplyError(req, "listxattr", Ino(ino), names.error());
    std::string packed;  // "name1\0name2\0"
    for (const auto& n : *names) {
      packed += n;
      packed.push_back('\0');
    }
    ReplyXattrValue(req, packed, size);
  });
}

fuse_lowlevel_ops MakeOperations() {
  fuse_lowlevel_ops ops{};
  ops.init = Init;
  ops.lookup = Lookup;
  ops.forget = Forget;
  ops.forget_multi = ForgetMulti;
  ops.getattr = GetAttr;
  ops.readlink = ReadLink;
  ops.opendir = OpenDir;
  ops.readdir = ReadDir;
  ops.readdirplus = ReadDirPlus;
  ops.releasedir = ReleaseDir;
  ops.open = Open;
  ops.read = Read;
  ops.release = Release;
  ops.statfs = StatFs;
  ops.getxattr = GetXattr;
  ops.listxattr = ListXattr;
  internal::AddWriteOperations(ops);
  return ops;
}

}  // namespace

namespace internal {

void ReplyError(fuse_req_t req, std::string_view op, const std::string& what, const Error& error) {
  const int err = ErrnoFor(error.code);
  Logger& logger = AdapterOf(req).logger();
  const LogLevel level = LogLevelFor(error.code);
  if (logger.Enabled(level)) {
    logger.Log(level, std::string(op) + " " + what + ": " + error.ToString() + " -> " +
                          strerrorname_np(err));
  }
  fuse_reply_err(req, err);
}

}  // namespace internal

FuseAdapter::FuseAdapter(core::Filesystem& filesystem, Logger& logger, Clock& clock)
    : filesystem_(filesystem),
      logger_(logger),
      clock_(clock),
      interrupts_(std::make_unique<internal::Interrupts>()) {}

FuseAdapter::~FuseAdapter() = default;

const fuse_lowlevel_ops& FuseAdapter::Operations() {
  static const fuse_lowlevel_ops ops = MakeOperations();
  return ops;
}

}  // namespace swiftfs::fuse
