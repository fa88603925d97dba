#pragma once
// Whether the process behind a FUSE request is being killed, as opposed to merely
// signalled.
//
// The kernel sends FUSE_INTERRUPT for any signal that reaches a process waiting on a
// request: Ctrl-C, but also SIGCHLD or SIGWINCH that the process handles and then expects
// its stat(2) or open(2) to go on (a shell whose child just exited is in the middle of
// `[ -f file ]`). Answering those with EINTR fails a call the program never expected to
// fail. So an interrupt counts only when the signal is fatal: for one, the kernel's
// complete_signal() makes SIGKILL pending on every thread of the process, which
// /proc/<tid>/status shows in SigPnd (or ShdPnd). A process that catches SIGINT keeps
// waiting, as it does for a read through the page cache (no interrupt at all), until the
// operation's deadline.

#include <sys/types.h>

#include <string_view>

namespace swiftfs::fuse::internal {

// True when the status text (the contents of /proc/<tid>/status) has SIGKILL pending.
bool StatusShowsKillPending(std::string_view status);

// True when thread `tid` is being killed; also true when that cannot be told (tid 0, no
// /proc entry): the interrupt is then honoured, as it always was.
bool FatalSignalPending(pid_t tid);

}  // namespace swiftfs::fuse::internal
