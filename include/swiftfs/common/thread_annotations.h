#pragma once
// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html),
// so that "this member is guarded by that mutex" is checked by the compiler, not only
// written in a comment. Under clang with -Wthread-safety (the sanitizer build of
// scripts/test) a read or write of a GUARDED_BY member without its mutex held is an error;
// under g++ the macros expand to nothing.
//
// std::mutex carries no capability attribute in libstdc++, so annotated code locks a
// swiftfs::Mutex with a swiftfs::MutexLock instead of std::mutex and std::lock_guard.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#if defined(__clang__)
#define SWIFTFS_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SWIFTFS_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) SWIFTFS_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY SWIFTFS_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) SWIFTFS_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) SWIFTFS_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_BEFORE(...) SWIFTFS_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) SWIFTFS_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define REQUIRES(...) SWIFTFS_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) SWIFTFS_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) SWIFTFS_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) SWIFTFS_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) SWIFTFS_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define RETURN_CAPABILITY(x) SWIFTFS_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS SWIFTFS_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace swiftfs {

// A std::mutex the analysis knows about.
class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mu_.try_lock(); }

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds a Mutex for its scope, like std::unique_lock: it can be released and taken again
// (unlock()/lock()) and waited on with a std::condition_variable.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : lock_(mu.mu_) {}
  ~MutexLock() RELEASE() {}
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void lock() ACQUIRE() { lock_.lock(); }
  void unlock() RELEASE() { lock_.unlock(); }

  // cv.wait(lock, pred): the mutex is released while blocked and held when pred runs, so
  // a pred reading guarded members is declared `[...]() REQUIRES(mu) { ... }`.
  template <typename Predicate>
  void Wait(std::condition_variable& cv, Predicate pred) {
    cv.wait(lock_, std::move(pred));
  }

  // cv.wait_for(lock, timeout): for waits that must also watch something nobody notifies
  // them of (a cancellation flag).
  template <typename Rep, typename Period>
  void WaitFor(std::condition_variable& cv, std::chrono::duration<Rep, Period> timeout) {
    cv.wait_for(lock_, timeout);
  }

  // The std::unique_lock itself, for an API that waits on one (Clock::WaitUntil): like
  // Wait, such a wait releases the mutex while blocked and holds it again on return.
  std::unique_lock<std::mutex>& Underlying() { return lock_; }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace swiftfs
