#pragma once
// RawHttpServer: a TCP server on 127.0.0.1 that answers with whatever bytes a test script
// writes, for the misbehaviour cases a real HTTP server will not produce: bodies cut short,
// stalls, odd header layouts, interim responses. Each connection runs the script on its own
// thread; the destructor stops everything (a stalled script wakes up) and joins the threads.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "unit/http/test_sockets.h"

namespace swiftfs::testing {

class RawHttpServer {
 public:
  class Connection {
   public:
    Connection(RawHttpServer& server, UniqueFd fd) : server_(server), fd_(std::move(fd)) {}
    // Reads one request (head and a Content-Length body); nullopt when the client closed or
    // the server stops. The request is also recorded in RawHttpServer::Requests().
    std::optional<std::string> ReadRequest();
    // Writes all of `bytes`; false if the peer is gone.
    bool Send(std::string_view bytes);
    // Blocks until the server is being destroyed: a server that stalls forever.
    void WaitForStop();

   private:
    // Reads more bytes into buffer_; false on EOF, error or stop.
    bool Fill();

    RawHttpServer& server_;
    UniqueFd fd_;
    std::string buffer_;
  };
  using Script = std::function<void(Connection&)>;

  explicit RawHttpServer(Script script);
  ~RawHttpServer();
  RawHttpServer(const RawHttpServer&) = delete;
  RawHttpServer& operator=(const RawHttpServer&) = delete;

  std::string Url(std::string_view path_and_query) const;
  // Every request received so far, head and body, in arrival order.
  std::vector<std::string> Requests() const;

 private:
  void AcceptLoop();
  // Polls `fd` for `events` together with the stop pipe; false when stopping.
  bool WaitFor(int fd, short events) const;

  Script script_;
  int port_ = 0;  // before listener_: BindLoopback sets it while listener_ is initialised
  UniqueFd listener_;
  UniqueFd stop_read_;
  UniqueFd stop_write_;  // closed by the destructor: every poll on stop_read_ wakes up
  mutable std::mutex mu_;
  std::vector<std::string> requests_;     // GUARDED_BY(mu_)
  std::vector<std::thread> connections_;  // GUARDED_BY(mu_)
  std::thread acceptor_;
};

}  // namespace swiftfs::testing
