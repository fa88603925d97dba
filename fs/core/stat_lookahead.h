#pragma once
// StatLookahead: the files readdirplus handed out of streamed directories, in listing
// order, so that a stat of one of them can queue the version HEADs (mtime=meta) of the
// files after it, and so that nothing is queued until such a stat comes.
//
// Why: a streamed directory (more than stream_directory_entries) has no cached listing,
// so a getattr cannot look ahead in one, and readdirplus used to queue its entries' HEADs
// itself, from its first reply on. The kernel sends that first READDIRPLUS (about 800
// entries) for every walk, also `find` and `ls`, which never stat what it hands out: on
// 100,000 objects `find -type f` paid about 700 HEADs for nothing. Now readdirplus only
// notes here what it handed out; the first stat of one of those files (as `ls -l` makes,
// in listing order) finds its neighbours here and the HEADs run ahead of the stats from
// then on, a window at a time.
//
// Design: per directory (container and prefix), the files handed out (name, etag,
// last_modified: a version) in one run of stream positions. A reply that starts within
// the run already noted extends it (the kernel asks again from where its reader stopped,
// so replies overlap); one from the start (a new reader, a rewind) or elsewhere starts a
// new run. Indexes count from the run's first file and never shift, so "every half
// window" stays put as old files are dropped. A run whose files are being stat'ed tells
// the readdirplus that extends it so: the stats will go on into the new reply, whose
// first files can be queued at once (the stats' own look-ahead stops at the end of what
// was handed out).
//
// Bounded: at most kDirectories directories (the least recently noted one is forgotten)
// and kFiles files each (the oldest are dropped): about 200 bytes a file, under 1 MiB a
// directory. kFiles is several kernel readdirplus buffers, so the stats of `ls -l`, which
// follow its reads closely, always find theirs.
//
// Thread-safe; mu_ is a leaf (see filesystem_impl.h, LOCK ORDERING).

#include <cstdint>
#include <deque>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/version_fetcher.h"
#include "swiftfs/cache/version_metadata.h"
#include "swiftfs/common/thread_annotations.h"

namespace swiftfs::core {

class StatLookahead {
 public:
  static constexpr size_t kDirectories = 4;
  static constexpr size_t kFiles = 4096;

  // A file readdirplus handed out: its name in the directory, the version listed, and its
  // size when it is a plain file (WantedVersion::file_size).
  struct File {
    std::string name;
    std::string etag;
    swift::WallTime timestamp{};
    uint64_t file_size = 0;
  };
  // Where a stat'ed version was handed out.
  struct Position {
    uint64_t run = 0;                         // which run (a new one restarts the indexes)
    uint64_t index = 0;                       // among the files of its run
    std::optional<cache::VersionKey> before;  // the file handed out just before it
  };

  explicit StatLookahead(size_t directories = kDirectories, size_t files = kFiles);

  // A readdirplus of the directory `prefix` of `container` handed out the entries at
  // stream positions [from, to), of which `files` (in listing order) need their version's
  // metadata. True when it extends a run a stat has found a file of (Find).
  bool HandedOut(const std::string& container, const std::string& prefix, uint64_t from,
                 uint64_t to, std::vector<File> files);
  // Where the version `key` (of an object in directory `prefix`) was handed out; nullopt
  // when it was not (another version of the name, or it is forgotten). Marks its run as
  // stat'ed.
  std::optional<Position> Find(const std::string& prefix, const cache::VersionKey& key);
  // Up to `count` files handed out after the one at `at` (as Find gave it) in the
  // directory `prefix` of `container`, as versions to fetch; none when that run is gone.
  std::vector<WantedVersion> After(const std::string& container, const std::string& prefix,
                                   const Position& at, size_t count);

 private:
  struct Run {
    uint64_t id = 0;
    std::string container;
    std::string prefix;
    uint64_t from = 0;  // stream positions covered
    uint64_t to = 0;
    uint64_t dropped = 0;  // files dropped from the front: files[i] has index dropped + i
    bool stated = false;   // Find found one of its files
    std::deque<File> files;
    // Name -> index. The views point into `files`, whose elements never move (a deque
    // keeps references valid across push_back and pop_front).
    std::unordered_map<std::string_view, uint64_t> index_of;
  };
  // The run of the directory, or nullptr.
  Run* FindRun(const std::string& container, const std::string& prefix) REQUIRES(mu_);
  cache::VersionKey KeyOf(const Run& run, const File& file) const;

  const size_t max_directories_;
  const size_t max_files_;
  Mutex mu_;
  std::list<Run> runs_ GUARDED_BY(mu_);  // most recently noted first
  uint64_t next_id_ GUARDED_BY(mu_) = 1;
};

}  // namespace swiftfs::core
