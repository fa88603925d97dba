#include "core/stat_lookahead.h"

#include <algorithm>
#include <utility>

namespace swiftfs::core {

StatLookahead::StatLookahead(size_t directories, size_t files)
    : max_directories_(directories), max_files_(files) {}

StatLookahead::Run* StatLookahead::FindRun(const std::string& container,
                                           const std::string& prefix) {
  for (Run& run : runs_) {
    if (run.container == container && run.prefix == prefix) return &run;
  }
  return nullptr;
}

cache::VersionKey StatLookahead::KeyOf(const Run& run, const File& file) const {
  return cache::VersionKey{run.container, run.prefix + file.name, file.etag, file.timestamp};
}

bool StatLookahead::HandedOut(const std::string& container, const std::string& prefix,
                              uint64_t from, uint64_t to, std::vector<File> files) {
  if (max_directories_ == 0 || max_files_ == 0) return false;
  MutexLock lock(mu_);
  auto it = std::find_if(runs_.begin(), runs_.end(), [&](const Run& run) {
    return run.container == container && run.prefix == prefix;
  });
  if (it != runs_.end() && from > 0 && from >= it->from && from <= it->to) {
    runs_.splice(runs_.begin(), runs_, it);  // goes on where the last reply ended
  } else {
    // A new reader, a rewind or a seek: what came before is no neighbour of these.
    if (it != runs_.end()) runs_.erase(it);
    Run& run = runs_.emplace_front();
    run.id = next_id_++;
    run.container = container;
    run.prefix = prefix;
    run.from = run.to = from;
    while (runs_.size() > max_directories_) runs_.pop_back();
  }
  Run& run = runs_.front();
  run.to = std::max(run.to, to);
  for (File& file : files) {
    if (run.index_of.contains(file.name)) continue;  // handed out again: replies overlap
    run.files.push_back(std::move(file));
    run.index_of.emplace(run.files.back().name, run.dropped + run.files.size() - 1);
    if (run.files.size() > max_files_) {
      auto oldest = run.index_of.find(run.files.front().name);
      if (oldest != run.index_of.end() && oldest->second == run.dropped) {
        run.index_of.erase(oldest);
      }
      run.files.pop_front();
      ++run.dropped;
    }
  }
  return run.stated;
}

std::optional<StatLookahead::Position> StatLookahead::Find(const std::string& prefix,
                                                           const cache::VersionKey& key) {
  if (!key.name.starts_with(prefix)) return std::nullopt;
  const std::string_view name = std::string_view(key.name).substr(prefix.size());
  MutexLock lock(mu_);
  Run* run = FindRun(key.container, prefix);
  if (!run) return std::nullopt;
  auto it = run->index_of.find(name);
  if (it == run->index_of.end()) return std::nullopt;
  const uint64_t index = it->second;
  if (!(KeyOf(*run, run->files[index - run->dropped]) == key)) return std::nullopt;
  run->stated = true;
  Position at{.run = run->id, .index = index, .before = std::nullopt};
  if (index > run->dropped) at.before = KeyOf(*run, run->files[index - run->dropped - 1]);
  return at;
}

std::vector<WantedVersion> StatLookahead::After(const std::string& container,
                                                const std::string& prefix, const Position& at,
                                                size_t count) {
  std::vector<WantedVersion> keys;
  MutexLock lock(mu_);
  Run* run = FindRun(container, prefix);
  if (!run || run->id != at.run) return keys;
  for (uint64_t i = std::max(at.index + 1, run->dropped);
       i - run->dropped < run->files.size() && keys.size() < count; ++i) {
    const File& file = run->files[i - run->dropped];
    keys.push_back(WantedVersion{KeyOf(*run, file), file.file_size});
  }
  return keys;
}

}  // namespace swiftfs::core
