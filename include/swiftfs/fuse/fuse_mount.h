#pragma once
// FuseMount: one libfuse session, from creation to unmount, as an RAII object.
//
//   auto mount = FuseMount::Create(options, adapter, logger);   // parses FUSE options
//   mount->Mount();                                             // the kernel mount
//   fuse_daemonize(...)  /  ...                                 // caller's business
//   mount->Run();                                               // until unmount / signal
//   // destructor: removes signal handlers, unmounts, destroys the session
//
// SIGTERM, SIGINT and SIGHUP end Run() (libfuse's handlers call fuse_session_exit), after
// which the destructor unmounts cleanly; `fusermount3 -u` ends Run() the same way.

#include <memory>
#include <string>
#include <vector>

#include "swiftfs/common/log.h"
#include "swiftfs/common/result.h"
#include "swiftfs/fuse/fuse_adapter.h"

namespace swiftfs::fuse {

struct MountOptions {
  std::string mountpoint;
  // Options for libfuse and the kernel, each "name" or "name=value", e.g. "allow_other",
  // "fsname=swiftfs", "ro". Commas and backslashes inside values are escaped here.
  std::vector<std::string> fuse_options;
  bool debug = false;            // libfuse's own trace of every request (-d)
  bool single_threaded = false;  // -s
  unsigned max_threads = 16;     // multi-threaded loop: upper bound on worker threads
  bool clone_fd = true;          // one /dev/fuse fd per worker thread
};

// "-o" argument for libfuse built from `options`: joined with ',' and escaped.
std::string JoinFuseOptions(const std::vector<std::string>& options);

class FuseMount {
 public:
  // Creates the session (libfuse parses and checks the options) and installs the signal
  // handlers. kInvalidArgument when libfuse rejects an option (it also prints why).
  static Result<std::unique_ptr<FuseMount>> Create(const MountOptions& options,
                                                   FuseAdapter& adapter, Logger& logger);
  ~FuseMount();
  FuseMount(const FuseMount&) = delete;
  FuseMount& operator=(const FuseMount&) = delete;

  // Mounts at options.mountpoint. kConfig with the reason when the kernel mount fails
  // (no such directory, not permitted, /dev/fuse missing).
  Status Mount();

  // Serves requests until the filesystem is unmounted or a signal arrives. Returns an
  // error only when the loop itself failed (not for a signal or an unmount).
  Status Run();

  // True once the session is ending (a signal, or the filesystem was unmounted); may be
  // asked from any thread while Run() is running.
  bool exited() const;

 private:
  FuseMount(MountOptions options, Logger& logger) : options_(std::move(options)), logger_(logger) {}

  MountOptions options_;
  Logger& logger_;
  fuse_session* session_ = nullptr;
  bool handlers_set_ = false;
  bool mounted_ = false;
};

}  // namespace swiftfs::fuse
