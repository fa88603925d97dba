#pragma once
// Socket helpers for the http tests: an owning fd, a port that refuses connections and a
// listener whose SYNs go unanswered (to test connect timeouts without the network).

#include <string>

namespace swiftfs::testing {

// Owns a file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// A TCP socket bound to 127.0.0.1:port without listening: connecting to it is refused, and
// no other process can take the port while this object lives.
class RefusingPort {
 public:
  RefusingPort();
  int port() const { return port_; }

 private:
  int port_ = 0;  // before fd_: BindLoopback sets it while fd_ is initialised
  UniqueFd fd_;
};

// A listener on 127.0.0.1 whose accept queue is kept full, so the kernel drops further SYNs
// and a client's connect() hangs until its own timeout.
class FullBacklogListener {
 public:
  FullBacklogListener();
  int port() const { return port_; }

 private:
  int port_ = 0;  // before listener_: BindLoopback sets it while listener_ is initialised
  UniqueFd listener_;
  UniqueFd fillers_[4];
};

// Binds a TCP socket to 127.0.0.1 on an ephemeral port; aborts the test program on failure.
UniqueFd BindLoopback(int* port);

}  // namespace swiftfs::testing
