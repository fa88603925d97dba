#include "swiftfs/cache/file_reader.h"

#include "swiftfs/cache/listing_order.h"

namespace swiftfs::cache {

size_t ReadView::size() const {
  size_t total = 0;
  for (const auto& piece : pieces) total += piece.size();
  return total;
}

Result<ReadView> FileReader::ReadInPlace(uint64_t offset, size_t size,
                                         const std::atomic<bool>* cancel) {
  // Uninitialised: Read overwrites the bytes it returns, and only those are handed out.
  std::shared_ptr<char[]> buffer(std::make_unique_for_overwrite<char[]>(size));
  Result<size_t> n = Read(offset, std::span<char>(buffer.get(), size), cancel);
  if (!n) return std::move(n).error();
  ReadView view;
  if (*n > 0) view.pieces.emplace_back(buffer.get(), *n);
  view.owner = std::move(buffer);
  return view;
}

std::unique_ptr<FileReader> FileReaderFactory::OpenListed(const ObjectVersion& version,
                                                          const ListedPosition& /*where*/) {
  return Open(version);
}

void FileReaderFactory::Committed(const ObjectVersion& /*version*/,
                                  const CommittedBytes& /*bytes*/) {}

std::unique_ptr<PendingVersion> FileReaderFactory::BeginVersion(const std::string& /*container*/,
                                                                const std::string& /*name*/) {
  return nullptr;
}

std::optional<Result<swift::ObjectInfo>> FileReaderFactory::FetchForLookup(
    const ObjectVersion& /*version*/, const std::atomic<bool>* /*cancel*/) {
  return std::nullopt;
}

std::optional<Result<FileReaderFactory::WholeObject>> FileReaderFactory::FetchWhole(
    const ObjectVersion& /*version*/) {
  return std::nullopt;
}

std::optional<Result<swift::ObjectInfo>> FileReaderFactory::FetchToStore(
    const ObjectVersion& /*version*/) {
  return std::nullopt;
}

bool FileReaderFactory::FetchesOnStat() const { return false; }

void FileReaderFactory::SkipHeldLocally(const HeldLocally& /*held*/) {}

}  // namespace swiftfs::cache
