#include "fuse/interrupts.h"

#include "fuse/fatal_signal.h"

namespace swiftfs::fuse::internal {

Interrupts::Scope::Scope(Interrupts& interrupts, fuse_req_t req)
    : interrupts_(interrupts), req_(req) {
  {
    std::lock_guard<std::mutex> lock(interrupts_.mu_);
    interrupts_.active_[req_] = &flag_;
  }
  fuse_req_interrupt_func(req_, &Interrupts::OnInterrupt, &interrupts_);
}

Interrupts::Scope::~Scope() {
  std::lock_guard<std::mutex> lock(interrupts_.mu_);
  interrupts_.active_.erase(req_);
}

void Interrupts::OnInterrupt(fuse_req_t req, void* data) {
  // Only a signal that kills the caller: a handled one (SIGCHLD...) expects the call to go
  // on (fatal_signal.h). The kernel keeps waiting for the answer either way.
  if (!FatalSignalPending(fuse_req_ctx(req)->pid)) return;
  auto* self = static_cast<Interrupts*>(data);
  std::lock_guard<std::mutex> lock(self->mu_);
  auto it = self->active_.find(req);
  if (it != self->active_.end()) it->second->store(true, std::memory_order_relaxed);
}

}  // namespace swiftfs::fuse::internal
