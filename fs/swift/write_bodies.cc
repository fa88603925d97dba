#include "swift/write_bodies.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "swift/header_parser.h"
#include "swift/swift_urls.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::swift {

namespace {

using nlohmann::json;

Error Malformed(std::string_view target, const std::string& what) {
  return MakeError(ErrorCode::kBadResponse, "GET " + std::string(target) + " manifest: " + what, 0,
                   std::string(target));
}

// "first-last" -> {first, last}; nullopt for any other shape.
std::optional<std::pair<uint64_t, uint64_t>> ParseRange(std::string_view text) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = ParseUint64(text.substr(0, dash));
  const auto last = ParseUint64(text.substr(dash + 1));
  if (!first || !last || *first > *last) return std::nullopt;
  return std::pair(*first, *last);
}

uint64_t CountField(const json& doc, const char* name) {
  const auto it = doc.find(name);
  if (it == doc.end() || !it->is_number_unsigned()) return 0;
  return it->get<uint64_t>();
}

std::string StringField(const json& doc, const char* name) {
  const auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

}  // namespace

Result<std::string> ManifestJson(const std::vector<SloSegment>& segments) {
  json doc = json::array();
  for (const SloSegment& segment : segments) {
    const size_t slash = segment.path.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == segment.path.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "SLO segment path is not container/object: " + segment.path);
    }
    json entry = {{"path", "/" + segment.path}, {"size_bytes", segment.size_bytes}};
    entry["etag"] = segment.etag.empty() ? json(nullptr) : json(segment.etag);
    if (segment.range) {
      entry["range"] =
          std::to_string(segment.range->first) + "-" + std::to_string(segment.range->second);
    }
    doc.push_back(std::move(entry));
  }
  try {
    return doc.dump();  // strict: a name that is not UTF-8 throws
  } catch (const json::exception&) {
    return MakeError(ErrorCode::kInvalidArgument, "SLO segment path is not valid UTF-8");
  }
}

Result<std::vector<SloSegment>> ParseManifest(std::string_view body, std::string_view target) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_array()) return Malformed(target, "not a JSON array");
  std::vector<SloSegment> segments;
  for (const json& entry : doc) {
    if (!entry.is_object()) return Malformed(target, "an entry is not an object");
    // format=raw says "path"; the older non-raw format says "name".
    std::string path = StringField(entry, "path");
    if (path.empty()) path = StringField(entry, "name");
    if (path.size() < 2 || path[0] != '/') return Malformed(target, "an entry has no path");
    SloSegment segment;
    segment.path = path.substr(1);
    segment.etag = StringField(entry, "etag");
    if (segment.etag.empty()) segment.etag = StringField(entry, "hash");
    const auto size = entry.find("size_bytes");
    const auto bytes = entry.find("bytes");
    if (size != entry.end() && size->is_number_unsigned()) {
      segment.size_bytes = size->get<uint64_t>();
    } else if (bytes != entry.end() && bytes->is_number_unsigned()) {
      segment.size_bytes = bytes->get<uint64_t>();
    } else {
      return Malformed(target, "segment " + segment.path + " has no size");
    }
    if (const std::string range = StringField(entry, "range"); !range.empty()) {
      segment.range = ParseRange(range);
      if (!segment.range) return Malformed(target, "segment " + segment.path + " range " + range);
    }
    segments.push_back(std::move(segment));
  }
  return segments;
}

Result<BulkReply> ParseBulkReply(std::string_view body, std::string_view target) {
  // A heartbeat reply starts with whitespace sent while Swift worked.
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const auto bad = [&](const std::string& what) {
    return MakeError(ErrorCode::kBadResponse,
                     std::string(target) + ": unexpected bulk reply: " + what, 0,
                     std::string(target));
  };
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  BulkReply reply;
  reply.status_line = StringField(doc, "Response Status");
  const std::string_view line = reply.status_line;
  const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), reply.status);
  if (ec != std::errc() || reply.status < 100 || reply.status > 599) {
    return bad("no Response Status");
  }
  reply.response_body = StringField(doc, "Response Body");
  if (const auto errors = doc.find("Errors"); errors != doc.end() && errors->is_array()) {
    for (const json& item : *errors) {
      if (item.is_array() && item.size() == 2 && item[0].is_string() && item[1].is_string()) {
        reply.errors.emplace_back(item[0].get<std::string>(), item[1].get<std::string>());
      }
    }
  }
  reply.etag = StripEtagQuotes(StringField(doc, "Etag"));
  if (const std::string modified = StringField(doc, "Last Modified"); !modified.empty()) {
    if (auto parsed = ParseHttpDate(modified)) reply.last_modified = *parsed;
  }
  reply.number_deleted = CountField(doc, "Number Deleted");
  reply.number_not_found = CountField(doc, "Number Not Found");
  return reply;
}

std::string DescribeErrors(const BulkReply& reply) {
  constexpr size_t kShown = 5;
  std::string out;
  for (size_t i = 0; i < reply.errors.size() && i < kShown; ++i) {
    if (!out.empty()) out += "; ";
    out += PercentDecode(reply.errors[i].first) + ", " + reply.errors[i].second;
  }
  if (reply.errors.size() > kShown) {
    out += "; and " + std::to_string(reply.errors.size() - kShown) + " more";
  }
  return out;
}

}  // namespace swiftfs::swift
