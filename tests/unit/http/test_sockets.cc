#include "unit/http/test_sockets.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace swiftfs::testing {

namespace {

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::abort();
}

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) reset(other.release());
  return *this;
}

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

UniqueFd BindLoopback(int* port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) Die("socket");
  sockaddr_in addr = Loopback(0);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) Die("bind");
  socklen_t len = sizeof addr;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Die("getsockname");
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

RefusingPort::RefusingPort() : fd_(BindLoopback(&port_)) {}

FullBacklogListener::FullBacklogListener() : listener_(BindLoopback(&port_)) {
  // Backlog 0 still admits one connection (Linux allows backlog + 1); the fillers take
  // that slot, and once the queue is full the kernel silently drops new SYNs.
  if (::listen(listener_.get(), 0) != 0) Die("listen");
  const sockaddr_in addr = Loopback(port_);
  for (UniqueFd& filler : fillers_) {
    filler.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!filler.valid()) Die("socket");
    // Non-blocking: fillers beyond the queue's room stay in SYN_SENT, which is fine.
    ::connect(filler.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  }
  // Wait until the first filler is established, i.e. sits in the accept queue.
  pollfd pfd{fillers_[0].get(), POLLOUT, 0};
  if (::poll(&pfd, 1, 5000) != 1) Die("poll filler");
}

}  // namespace swiftfs::testing
