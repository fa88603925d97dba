#include "core/timed_out_range.h"

namespace swiftfs::core {

void TimedOutRange::Record(uint64_t offset, uint64_t end, const Error& error, Clock::MonoTime now) {
  if (error.code != ErrorCode::kTimeout) return;
  MutexLock lock(mu_);
  last_ = Failure{offset, end, now, error};
}

std::optional<Error> TimedOutRange::Check(uint64_t offset, uint64_t end,
                                          Clock::MonoTime now) const {
  MutexLock lock(mu_);
  if (!last_ || now - last_->when > kRetryWindow) return std::nullopt;
  if (offset >= last_->end || end <= last_->offset) return std::nullopt;
  return last_->error;
}

}  // namespace swiftfs::core
