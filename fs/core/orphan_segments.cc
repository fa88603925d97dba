#include "swiftfs/core/orphan_segments.h"

#include <map>
#include <set>

#include "core/segment_names.h"

namespace swiftfs::core {

namespace {

// Every object of `container` (flat), page after page.
Result<std::vector<swift::ListEntry>> ListAll(swift::ObjectClient& client,
                                              const std::string& container) {
  std::vector<swift::ListEntry> all;
  swift::ListRequest request;
  request.container = container;
  while (true) {
    auto page = client.ListObjects(request);
    if (!page) return std::move(page).error();
    if (page->entries.empty()) return all;
    request.marker = page->entries.back().name;
    for (auto& entry : page->entries) all.push_back(std::move(entry));
  }
}

struct Group {
  std::string object;
  std::vector<swift::ListEntry> segments;
  swift::WallTime newest{};
};

// Adds to `referenced` the upload prefixes the manifest of container/name names.
void AddReferences(swift::ObjectClient& client, const std::string& container,
                   const std::string& name, const std::string& segment_container,
                   std::set<std::string>& referenced) {
  auto manifest = client.GetManifest(container, name);
  if (!manifest) return;
  const std::string head = segment_container + "/";
  for (const swift::SloSegment& segment : *manifest) {
    if (segment.path.rfind(head, 0) != 0) continue;
    if (auto parsed = ParseSegmentName(segment.path.substr(head.size()))) {
      referenced.insert(parsed->prefix);
    }
  }
}

}  // namespace

Result<OrphanReport> CollectOrphanSegments(swift::ObjectClient& client,
                                           const std::string& container, swift::WallTime now,
                                           const OrphanOptions& options, Logger& logger) {
  OrphanReport report;
  const std::string segment_container = SegmentContainer(container);
  auto segments = ListAll(client, segment_container);
  if (!segments) {
    if (segments.error().code == ErrorCode::kNotFound) return report;
    return std::move(segments).error();
  }
  std::map<std::string, Group> groups;  // by upload prefix
  for (swift::ListEntry& entry : *segments) {
    if (entry.kind != swift::ListEntry::Kind::kObject) continue;
    auto parsed = ParseSegmentName(entry.name);
    if (!parsed) continue;
    Group& group = groups[parsed->prefix];
    group.object = parsed->object;
    if (entry.info.last_modified > group.newest) group.newest = entry.info.last_modified;
    group.segments.push_back(std::move(entry));
  }
  report.uploads_seen = groups.size();
  if (groups.empty()) return report;

  std::set<std::string> referenced;
  std::set<std::string> objects;
  for (const auto& [prefix, group] : groups) objects.insert(group.object);
  for (const std::string& object : objects) {
    AddReferences(client, container, object, segment_container, referenced);
  }
  std::vector<std::string> scan = options.also_check;
  scan.insert(scan.begin(), container);
  for (const std::string& c : scan) {
    auto listed = ListAll(client, c);
    if (!listed) {
      if (listed.error().code == ErrorCode::kNotFound) continue;
      return std::move(listed).error();  // unsure what references what: delete nothing
    }
    for (const swift::ListEntry& entry : *listed) {
      if (entry.kind != swift::ListEntry::Kind::kObject || !entry.info.is_slo) continue;
      if (c == container && objects.count(entry.name)) continue;  // asked above
      AddReferences(client, c, entry.name, segment_container, referenced);
    }
  }

  for (const auto& [prefix, group] : groups) {
    const bool young = now - group.newest < options.min_age;
    if (young || referenced.count(prefix)) {
      ++report.uploads_kept;
      continue;
    }
    ++report.uploads_removed;
    for (const swift::ListEntry& segment : group.segments) {
      if (!options.dry_run) {
        Status deleted =
            client.DeleteObject(segment_container, segment.name, swift::DeleteMode::kObjectOnly);
        if (!deleted && deleted.error().code != ErrorCode::kNotFound) {
          logger.Warning("orphan segment " + segment_container + "/" + segment.name +
                         " not deleted: " + deleted.error().ToString());
          continue;
        }
      }
      ++report.segments_removed;
      report.bytes_removed += segment.info.size;
    }
  }
  return report;
}

}  // namespace swiftfs::core
