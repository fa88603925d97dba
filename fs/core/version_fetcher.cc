#include "core/version_fetcher.h"

#include <utility>

namespace swiftfs::core {

namespace {

// True when a HEAD that answered `head` describes the version `key` names. X-Timestamp is
// unique per write of an object; an SLO's listing hash is its manifest's while HEAD's ETag
// is the assembled object's, so the etags may differ for one version. A server without
// X-Timestamp is judged by the etag alone.
bool SameVersion(const cache::VersionKey& key, const cache::VersionKey& head_key,
                 const swift::ObjectInfo& head) {
  if (!head.timestamp.empty()) return key.timestamp_us() == head_key.timestamp_us();
  return key.etag == head.etag;
}

}  // namespace

VersionFetcher::VersionFetcher(swift::ObjectClient& client, cache::VersionMetadataStore& store,
                               size_t workers, cache::FileReaderFactory* bodies)
    : client_(client), store_(store), bodies_(bodies), workers_(workers) {}

VersionFetcher::~VersionFetcher() {
  std::vector<std::thread> threads;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& t : threads) t.join();
}

void VersionFetcher::StartWorkersLocked() {
  if (!threads_.empty() || workers_ == 0) return;
  threads_.reserve(workers_);
  for (size_t i = 0; i < workers_; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

void VersionFetcher::Prefetch(const std::vector<WantedVersion>& wanted) {
  if (workers_ == 0 || wanted.empty()) return;
  size_t queued = 0;
  {
    MutexLock lock(mu_);
    if (stopping_) return;
    for (const WantedVersion& one : wanted) {
      if (queue_.size() >= kMaxQueued) break;
      std::string encoded = one.key.Encoded();
      if (flights_.count(encoded) || store_.Get(one.key)) continue;
      auto flight = std::make_shared<Flight>(one.key, one.file_size);
      flights_.emplace(std::move(encoded), flight);
      queue_.push_back(std::move(flight));
      ++queued;
    }
    if (queued) StartWorkersLocked();
  }
  if (queued == 1) {
    wake_.notify_one();
  } else if (queued > 1) {
    wake_.notify_all();
  }
}

Result<cache::VersionMetadata> VersionFetcher::Get(const cache::VersionKey& key,
                                                   uint64_t file_size) {
  if (auto known = store_.Get(key)) return std::move(*known);
  std::shared_ptr<Flight> flight;
  bool run_here = false;
  {
    MutexLock lock(mu_);
    std::string encoded = key.Encoded();
    auto it = flights_.find(encoded);
    if (it != flights_.end()) {
      flight = it->second;
    } else {
      // A flight may have ended since the first look (it stores before it leaves
      // flights_): the store, asked under mu_, tells.
      if (auto known = store_.Get(key)) return std::move(*known);
      flight = std::make_shared<Flight>(key, file_size);
      flights_.emplace(std::move(encoded), flight);
    }
    if (!flight->started) {
      // Not started (queued, or new): run it now rather than wait behind the queue. A
      // worker that pops it later sees `started` and skips it.
      flight->started = true;
      run_here = true;
    }
  }
  if (run_here) Run(flight);
  const Answer& answer = flight->done.get();  // no lock held
  if (!answer) return answer.error();
  return cache::MetadataOfHead(*answer);
}

std::optional<Result<swift::ObjectInfo>> VersionFetcher::Join(const cache::VersionKey& key) {
  std::shared_ptr<Flight> flight;
  bool run_here = false;
  {
    MutexLock lock(mu_);
    auto it = flights_.find(key.Encoded());
    if (it == flights_.end()) return std::nullopt;
    flight = it->second;
    run_here = !std::exchange(flight->started, true);
  }
  if (run_here) Run(flight);
  return flight->done.get();
}

bool VersionFetcher::Requested(const cache::VersionKey& key) {
  {
    MutexLock lock(mu_);
    if (flights_.count(key.Encoded())) return true;
  }
  return store_.Get(key).has_value();
}

void VersionFetcher::Record(const std::string& container, const std::string& name,
                            const swift::ObjectInfo& head) {
  store_.Put(cache::KeyOfHead(container, name, head), cache::MetadataOfHead(head));
}

void VersionFetcher::Run(const std::shared_ptr<Flight>& flight) {
  const cache::VersionKey& key = flight->key;
  Answer answer = MakeError(ErrorCode::kInternal, "metadata fetch did not run");
  Answer head = Fetch(*flight);
  if (head) {
    const cache::VersionKey head_key = cache::KeyOfHead(key.container, key.name, *head);
    cache::VersionMetadata metadata = cache::MetadataOfHead(*head);
    store_.Put(head_key, metadata);
    if (SameVersion(key, head_key, *head) && !(head_key == key)) store_.Put(key, metadata);
    answer = std::move(*head);
  } else {
    answer = std::move(head).error();
  }
  {
    MutexLock lock(mu_);
    flights_.erase(key.Encoded());
  }
  flight->promise.set_value(std::move(answer));
}

VersionFetcher::Answer VersionFetcher::Fetch(const Flight& flight) {
  const cache::VersionKey& key = flight.key;
  if (bodies_ != nullptr && flight.file_size > 0) {
    // The GET's reply carries the headers a HEAD would; If-Match pins the listed etag.
    auto fetched = bodies_->FetchToStore(
        cache::ObjectVersion{key.container, key.name, key.etag, flight.file_size});
    if (fetched) return std::move(*fetched);
  }
  return client_.HeadObject(key.container, key.name);
}

void VersionFetcher::WorkerLoop() {
  while (true) {
    std::shared_ptr<Flight> flight;
    {
      MutexLock lock(mu_);
      lock.Wait(wake_, [this]() REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      flight = std::move(queue_.front());
      queue_.pop_front();
      if (flight->started) continue;  // a Get took it over
      flight->started = true;
    }
    Run(flight);
  }
}

}  // namespace swiftfs::core
