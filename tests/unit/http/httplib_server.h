#pragma once
// A cpp-httplib server (plain or TLS) on 127.0.0.1, running on its own thread for the life of
// the object: routes are registered on server() before Start(). Tests only.

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace swiftfs::testing {

class HttplibServer {
 public:
  explicit HttplibServer(
      std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>(),
      std::string scheme = "http")
      : server_(std::move(server)), scheme_(std::move(scheme)) {
    // Keep connections open across many requests (the default closes after 5), and give
    // enough worker threads that every client connection of a concurrency test has one.
    server_->set_keep_alive_max_count(100000);
    server_->set_keep_alive_timeout(60);
    // httplib writes head and body separately; without this, Nagle plus delayed ACKs add
    // 40 ms to every keep-alive response.
    server_->set_tcp_nodelay(true);
    server_->new_task_queue = [] { return new httplib::ThreadPool(24); };
  }
  ~HttplibServer() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  HttplibServer(const HttplibServer&) = delete;
  HttplibServer& operator=(const HttplibServer&) = delete;

  httplib::Server& server() { return *server_; }

  void Start() {
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() before the loop runs would be lost; wait until it runs (the socket already
    // listens, so this is only a matter of the thread being scheduled).
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::string Url(const std::string& path) const {
    return scheme_ + "://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::string scheme_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace swiftfs::testing
