#pragma once
// Helpers shared by the prefetcher tests: deterministic object data, a recorder of the
// GetRange calls the fake receives, and a gate a fault hook can hold a fetch at.

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "support/fake_object_client.h"
#include "swiftfs/cache/file_reader.h"
#include "swiftfs/cache/prefetcher.h"

namespace swiftfs::testing {

inline constexpr uint64_t kKiB = 1024;
inline constexpr uint64_t kMiB = 1024 * 1024;

// `size` bytes that differ for every seed (so two versions never share a part's bytes).
inline std::string RandomData(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string data(size, '\0');
  for (size_t i = 0; i < size; i += 8) {
    uint64_t v = rng();
    for (size_t j = 0; j < 8 && i + j < size; ++j) data[i + j] = static_cast<char>(v >> (8 * j));
  }
  return data;
}

// Small sizes, so that a few MiB of data cross many parts and reach the largest window.
inline cache::PrefetchOptions SmallPrefetchOptions(uint32_t threads = 3,
                                                   uint64_t memory_budget = 16 * kMiB) {
  cache::PrefetchOptions o;
  o.window_min = 64 * kKiB;
  o.window_max = 1 * kMiB;
  o.part_size = 256 * kKiB;
  o.threads = threads;
  o.memory_budget = memory_budget;
  return o;
}

struct RangeCall {
  uint64_t offset = 0;
  size_t length = 0;
  std::string if_match;
  bool operator<(const RangeCall& o) const { return offset < o.offset; }
};

// Records every GetRange the fake receives (installs the fake's kGetRange hook).
class RangeRecorder {
 public:
  explicit RangeRecorder(FakeObjectClient& fake) {
    fake.SetFaultHook(FakeObjectClient::Op::kGetRange,
                      [this](const FakeObjectClient::Call& call) -> std::optional<Error> {
                        std::lock_guard<std::mutex> lock(mu_);
                        calls_.push_back({call.offset, call.length, call.if_match});
                        return std::nullopt;
                      });
  }
  std::vector<RangeCall> SortedCalls() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<RangeCall> calls = calls_;
    std::stable_sort(calls.begin(), calls.end());
    return calls;
  }
  uint64_t BytesRequested() const {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t total = 0;
    for (const auto& c : calls_) total += c.length;
    return total;
  }

 private:
  mutable std::mutex mu_;
  std::vector<RangeCall> calls_;
};

// A gate that fault hooks wait at until the test opens it, and that tells the test how
// many callers are waiting.
class Gate {
 public:
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
  }
  void WaitForWaiters(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return waiting_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool open_ = false;
};

inline cache::ObjectVersion VersionOf(const std::string& container, const std::string& name,
                                      const std::string& data) {
  return {container, name, Md5Hex(data), data.size()};
}

// Reads the whole object front to back with reads of `chunk` bytes; fails the test on error.
inline std::string ReadAll(cache::FileReader& reader, uint64_t size, size_t chunk) {
  std::string out;
  std::vector<char> buffer(chunk);
  uint64_t offset = 0;
  while (true) {
    auto n = reader.Read(offset, buffer);
    if (!n) {
      ADD_FAILURE() << "read at " << offset << ": " << n.error().ToString();
      return out;
    }
    if (*n == 0) break;
    out.append(buffer.data(), *n);
    offset += *n;
    if (offset > size) break;
  }
  return out;
}

}  // namespace swiftfs::testing
