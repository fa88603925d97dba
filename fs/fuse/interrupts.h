#pragma once
// Interrupts: turns FUSE INTERRUPT requests (Ctrl-C on a process stuck in read(2), a
// lookup or an open) into the cancellation flag the operation watches
// (cache::FileReader::Read's `cancel`), when the signal kills the caller (fatal_signal.h).
//
// libfuse calls the interrupt callback on another thread, possibly just after the request
// was answered; the flag lives on the reading thread's stack. So the callback never
// touches a flag directly: it looks the request up here under a mutex, and the reading
// thread removes its entry (under the same mutex) before it replies. An interrupt that
// arrives after that finds nothing and does nothing.

#include <fuse_lowlevel.h>

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace swiftfs::fuse::internal {

class Interrupts {
 public:
  // While alive, an interrupt of `req` sets flag(). Registers the callback with libfuse
  // (which calls it at once if the request is already interrupted).
  class Scope {
   public:
    Scope(Interrupts& interrupts, fuse_req_t req);
    ~Scope();  // before the reply: later interrupts are ignored
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    const std::atomic<bool>* flag() const { return &flag_; }

   private:
    Interrupts& interrupts_;
    fuse_req_t req_;
    std::atomic<bool> flag_{false};
  };

 private:
  static void OnInterrupt(fuse_req_t req, void* data);

  std::mutex mu_;
  std::unordered_map<fuse_req_t, std::atomic<bool>*> active_;  // GUARDED_BY(mu_)
};

}  // namespace swiftfs::fuse::internal
