#include "unit/http/raw_http_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "swiftfs/common/strings.h"

namespace swiftfs::testing {

namespace {

size_t ContentLengthOf(std::string_view head) {
  for (const std::string& line : Split(head, '\n')) {
    const size_t colon = line.find(':');
    if (colon != std::string::npos &&
        EqualsIgnoreCase(TrimWhitespace(std::string_view(line).substr(0, colon)),
                         "Content-Length")) {
      return std::strtoull(line.c_str() + colon + 1, nullptr, 10);
    }
  }
  return 0;
}

}  // namespace

RawHttpServer::RawHttpServer(Script script)
    : script_(std::move(script)), listener_(BindLoopback(&port_)) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0 || ::listen(listener_.get(), 16) != 0) std::abort();
  stop_read_.reset(pipe_fds[0]);
  stop_write_.reset(pipe_fds[1]);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

RawHttpServer::~RawHttpServer() {
  stop_write_.reset();
  acceptor_.join();
  // The acceptor has exited, so connections_ no longer grows.
  for (std::thread& t : connections_) t.join();
}

std::string RawHttpServer::Url(std::string_view path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path_and_query);
}

std::vector<std::string> RawHttpServer::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

bool RawHttpServer::WaitFor(int fd, short events) const {
  pollfd fds[2] = {{stop_read_.get(), POLLIN, 0}, {fd, events, 0}};
  const nfds_t count = fd >= 0 ? 2 : 1;
  while (true) {
    const int ready = ::poll(fds, count, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || fds[0].revents != 0) return false;
    return true;
  }
}

void RawHttpServer::AcceptLoop() {
  while (WaitFor(listener_.get(), POLLIN)) {
    UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd.valid()) continue;
    std::lock_guard<std::mutex> lock(mu_);
    connections_.emplace_back([this, conn_fd = fd.release()]() mutable {
      Connection connection(*this, UniqueFd(conn_fd));
      script_(connection);
    });
  }
}

bool RawHttpServer::Connection::Fill() {
  if (!server_.WaitFor(fd_.get(), POLLIN)) return false;
  char chunk[16 * 1024];
  const ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

std::optional<std::string> RawHttpServer::Connection::ReadRequest() {
  size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill()) return std::nullopt;
  }
  const size_t total =
      head_end + 4 + ContentLengthOf(std::string_view(buffer_).substr(0, head_end));
  while (buffer_.size() < total) {
    if (!Fill()) return std::nullopt;
  }
  std::string request = buffer_.substr(0, total);
  buffer_.erase(0, total);
  std::lock_guard<std::mutex> lock(server_.mu_);
  server_.requests_.push_back(request);
  return request;
}

bool RawHttpServer::Connection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void RawHttpServer::Connection::WaitForStop() { server_.WaitFor(-1, 0); }

}  // namespace swiftfs::testing
