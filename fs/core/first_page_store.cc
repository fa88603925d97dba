#include "core/first_page_store.h"

#include <algorithm>

namespace swiftfs::core {

void FirstPageStore::Put(const std::string& key, FirstPage page) {
  if (capacity_ == 0) return;
  MutexLock lock(mu_);
  std::erase_if(pages_, [&](const auto& kept) { return kept.first == key; });
  if (pages_.size() >= capacity_) pages_.pop_front();
  pages_.emplace_back(key, std::move(page));
}

std::optional<FirstPage> FirstPageStore::Take(const std::string& key,
                                              std::chrono::steady_clock::time_point now) {
  std::optional<FirstPage> taken;
  MutexLock lock(mu_);
  auto it = std::find_if(pages_.begin(), pages_.end(),
                         [&](const auto& kept) { return kept.first == key; });
  if (it == pages_.end()) return taken;
  if (now < it->second.fetched_at + ttl_) taken = std::move(it->second);
  pages_.erase(it);
  return taken;
}

}  // namespace swiftfs::core
