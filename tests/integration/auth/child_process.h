#pragma once
// ChildProcess: a helper process a test starts and always stops. The child inherits the
// environment; its stdout comes back on a pipe (its stderr is the test's). The destructor
// sends SIGTERM, waits up to a few seconds, then SIGKILLs, and reaps it.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace swiftfs::testing {

class ChildProcess {
 public:
  // nullptr (and a message in `error`) when the program cannot be started.
  static std::unique_ptr<ChildProcess> Start(const std::vector<std::string>& argv,
                                             std::string* error);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of the child's stdout, without the newline; nullopt on EOF or timeout.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);

 private:
  ChildProcess(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}

  pid_t pid_;
  int stdout_fd_;
  std::string buffered_;
};

}  // namespace swiftfs::testing
