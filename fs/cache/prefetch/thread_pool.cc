#include "cache/prefetch/thread_pool.h"

#include <utility>

namespace swiftfs::cache {

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

ThreadPool::~ThreadPool() {
  std::deque<std::function<void()>> dropped;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
  // `dropped` is destroyed here, outside the lock: captured state may take other locks.
}

void ThreadPool::Submit(std::function<void()> task) {
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(task));
  }
  work_cv_.notify_one();
}

void ThreadPool::WaitIdle() {
  MutexLock lock(mu_);
  lock.Wait(idle_cv_, [this]() REQUIRES(mu_) { return queue_.empty() && running_ == 0; });
}

void ThreadPool::Run() {
  MutexLock lock(mu_);
  while (true) {
    lock.Wait(work_cv_, [this]() REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    task();
    task = nullptr;  // release captures before reporting idle
    lock.lock();
    --running_;
    if (queue_.empty() && running_ == 0) idle_cv_.notify_all();
  }
}

}  // namespace swiftfs::cache
