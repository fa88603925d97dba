#pragma once
// ThreadPool: a fixed number of threads running queued tasks in FIFO order; the
// prefetcher's part fetches run here so that read-ahead never occupies a FUSE worker.
// (A reader that needs a part still queued fetches it itself: see PrefetchReader.)
// The destructor stops the threads, drops tasks that have not started (a dropped task is
// destroyed, which releases whatever it captured) and joins. Tasks must not block on other
// tasks of the same pool.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::cache {

class ThreadPool {
 public:
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`; it runs on one of the pool's threads. Thread-safe.
  void Submit(std::function<void()> task);

  // Blocks until no task is queued or running. Thread-safe; for tests and shutdown.
  void WaitIdle();

 private:
  void Run();

  Mutex mu_;
  std::condition_variable work_cv_;  // a task was queued, or stopping_
  std::condition_variable idle_cv_;  // queue empty and no task running
  std::deque<std::function<void()>> queue_ GUARDED_BY(mu_);
  size_t running_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace swiftfs::cache
