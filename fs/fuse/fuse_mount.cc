#include "swiftfs/fuse/fuse_mount.h"

#include <cerrno>
#include <cstring>

namespace swiftfs::fuse {

std::string JoinFuseOptions(const std::vector<std::string>& options) {
  std::string joined;
  for (const auto& option : options) {
    if (!joined.empty()) joined += ',';
    // fuse_opt splits on ',' and unescapes '\': escape both so values stay whole.
    for (char c : option) {
      if (c == ',' || c == '\\') joined += '\\';
      joined += c;
    }
  }
  return joined;
}

Result<std::unique_ptr<FuseMount>> FuseMount::Create(const MountOptions& options,
                                                     FuseAdapter& adapter, Logger& logger) {
  std::unique_ptr<FuseMount> mount(new FuseMount(options, logger));
  // fuse_session_new takes an argv: program name, then what we chose to forward.
  std::vector<std::string> argv_storage = {"swiftfs"};
  const std::string joined = JoinFuseOptions(options.fuse_options);
  if (!joined.empty()) {
    argv_storage.push_back("-o");
    argv_storage.push_back(joined);
  }
  if (options.debug) argv_storage.push_back("-d");
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (auto& s : argv_storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  fuse_args args = FUSE_ARGS_INIT(static_cast<int>(argv_storage.size()), argv.data());
  const fuse_lowlevel_ops& ops = FuseAdapter::Operations();
  mount->session_ = fuse_session_new(&args, &ops, sizeof(ops), &adapter);
  fuse_opt_free_args(&args);
  if (mount->session_ == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "libfuse rejected the mount options: " + joined);
  }
  if (fuse_set_signal_handlers(mount->session_) != 0) {
    return MakeError(ErrorCode::kInternal, "cannot install signal handlers");
  }
  mount->handlers_set_ = true;
  return mount;
}

FuseMount::~FuseMount() {
  if (session_ == nullptr) return;
  if (handlers_set_) fuse_remove_signal_handlers(session_);
  if (mounted_) {
    fuse_session_unmount(session_);
    logger_.Info("unmounted " + options_.mountpoint);
  }
  fuse_session_destroy(session_);
}

Status FuseMount::Mount() {
  errno = 0;
  if (fuse_session_mount(session_, options_.mountpoint.c_str()) != 0) {
    const int err = errno;
    std::string reason = "cannot mount on " + options_.mountpoint;
    // NOLINTNEXTLINE(concurrency-mt-unsafe): known errnos only, whose texts are static
    if (err != 0) reason += std::string(": ") + std::strerror(err);
    return MakeError(ErrorCode::kConfig, reason);
  }
  mounted_ = true;
  return OkStatus();
}

bool FuseMount::exited() const { return fuse_session_exited(session_) != 0; }

Status FuseMount::Run() {
  int rc;
  if (options_.single_threaded) {
    rc = fuse_session_loop(session_);
  } else {
    // RAII for the opaque loop configuration (libfuse >= 3.12).
    std::unique_ptr<fuse_loop_config, void (*)(fuse_loop_config*)> config(fuse_loop_cfg_create(),
                                                                          fuse_loop_cfg_destroy);
    if (!config) return MakeError(ErrorCode::kInternal, "fuse_loop_cfg_create failed");
    fuse_loop_cfg_set_clone_fd(config.get(), options_.clone_fd ? 1 : 0);
    fuse_loop_cfg_set_max_threads(config.get(), options_.max_threads);
    rc = fuse_session_loop_mt(session_, config.get());
  }
  // The loop returns 0 on unmount, or the signal number / -errno it stopped on. A
  // signal is the normal way to stop (SIGTERM), not a failure.
  if (rc < 0 && rc != -EINTR) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): the loop has ended, its threads with it
    return MakeError(ErrorCode::kInternal, std::string("FUSE loop failed: ") + std::strerror(-rc));
  }
  return OkStatus();
}

}  // namespace swiftfs::fuse
