#include "swift/listing_parser.h"

#include <nlohmann/json.hpp>

#include "swift/header_parser.h"
#include "swift/swift_urls.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::swift {

namespace {

using nlohmann::json;

// Thrown inside this file only, caught by Guarded(): keeps the field checks short.
struct FieldError {
  std::string what;
};

Error Bad(std::string_view what, std::string_view target) {
  return MakeError(ErrorCode::kBadResponse,
                   "GET " + std::string(target) + ": malformed listing: " + std::string(what), 0,
                   std::string(target));
}

// Parses a JSON array body; an empty body is an empty array (a 200 with no content).
Result<json> ParseArray(std::string_view body, std::string_view target) {
  if (TrimWhitespace(body).empty()) return json::array();
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Often an HTML error page from a proxy in front of Swift: show its start.
    std::string start(TrimWhitespace(body).substr(0, 40));
    for (char& c : start) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return Bad("not JSON (starts with '" + start + "')", target);
  }
  if (!doc.is_array()) return Bad("not a JSON array", target);
  return doc;
}

const json* Field(const json& entry, const char* key) {
  const auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string StringField(const json& entry, const char* key, bool required = false) {
  const json* value = Field(entry, key);
  if (value == nullptr) {
    if (required) throw FieldError{std::string("entry without \"") + key + "\""};
    return {};
  }
  if (!value->is_string()) throw FieldError{std::string("\"") + key + "\" is not a string"};
  return value->get<std::string>();
}

uint64_t CountField(const json& entry, const char* key) {
  const json* value = Field(entry, key);
  if (value == nullptr) return 0;
  if (!value->is_number_unsigned() && !(value->is_number_integer() && value->get<int64_t>() >= 0)) {
    throw FieldError{std::string("\"") + key + "\" is not a non-negative integer"};
  }
  return value->get<uint64_t>();
}

std::optional<WallTime> TimeField(const json& entry, const char* key) {
  const std::string text = StringField(entry, key);
  if (text.empty()) return std::nullopt;
  auto parsed = ParseIso8601(text);  // Swift writes UTC without a zone
  if (!parsed) throw FieldError{std::string("\"") + key + "\" is not a time: " + text};
  return *parsed;
}

ListEntry ObjectEntry(const json& entry, std::string_view account) {
  ListEntry out;
  if (Field(entry, "subdir") != nullptr) {
    out.kind = ListEntry::Kind::kSubdir;
    out.name = StringField(entry, "subdir", true);
    return out;
  }
  out.kind = ListEntry::Kind::kObject;
  out.name = StringField(entry, "name", true);
  ObjectInfo& info = out.info;
  info.name = out.name;
  info.size = CountField(entry, "bytes");
  // For an SLO, "hash" is the MD5 of the manifest document while GET, HEAD and If-Match
  // use the ETag of the assembled object, which Swift 2.30 lists as "slo_etag" (quoted).
  const std::string slo_etag = StringField(entry, "slo_etag");
  info.etag = slo_etag.empty() ? StringField(entry, "hash") : StripEtagQuotes(slo_etag);
  info.is_slo = !slo_etag.empty();  // the orphan collector looks for manifests by it
  info.content_type = StringField(entry, "content_type");
  info.last_modified = TimeField(entry, "last_modified").value_or(WallTime{});
  const std::string symlink_path = StringField(entry, "symlink_path");
  if (!symlink_path.empty()) {
    auto link = ParseSymlinkPath(symlink_path);
    if (!link) throw FieldError{"unexpected symlink_path: " + symlink_path};
    info.symlink_target = std::move(link->target);
    if (!account.empty() && link->account != account) {
      info.symlink_target_account = std::move(link->account);
    }
  }
  return out;
}

// Runs `parse` over every element, turning any FieldError or json exception into an Error.
template <typename Item, typename ParseEntry>
Result<std::vector<Item>> ParseEach(const json& array, std::string_view target, ParseEntry parse) {
  std::vector<Item> items;
  try {
    items.reserve(array.size());
    for (const json& entry : array) {
      if (!entry.is_object()) return Bad("an entry is not a JSON object", target);
      items.push_back(parse(entry));
    }
  } catch (const FieldError& e) {
    return Bad(e.what, target);
  } catch (const json::exception& e) {
    return Bad(e.what(), target);
  }
  return items;
}

}  // namespace

Result<ListPage> ParseObjectListing(std::string_view body, std::string_view target,
                                    std::string_view account) {
  auto array = ParseArray(body, target);
  if (!array) return std::move(array).error();
  auto entries = ParseEach<ListEntry>(
      *array, target, [&](const json& entry) { return ObjectEntry(entry, account); });
  if (!entries) return std::move(entries).error();
  return ListPage{std::move(*entries)};
}

Result<ContainerPage> ParseContainerListing(std::string_view body) {
  auto array = ParseArray(body, "account");
  if (!array) return std::move(array).error();
  auto parse = [](const json& entry) {
    ContainerEntry out;
    out.name = StringField(entry, "name", true);
    out.object_count = CountField(entry, "count");
    out.bytes = CountField(entry, "bytes");
    out.last_modified = TimeField(entry, "last_modified");
    return out;
  };
  auto containers = ParseEach<ContainerEntry>(*array, "account", parse);
  if (!containers) return std::move(containers).error();
  return ContainerPage{std::move(*containers)};
}

Result<ClusterInfo> ParseClusterInfo(std::string_view body) {
  ClusterInfo info;
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return MakeError(ErrorCode::kBadResponse, "GET /info: reply is not a JSON object");
  }
  const auto swift = doc.find("swift");
  if (swift == doc.end() || !swift->is_object()) return info;
  const auto limit = swift->find("container_listing_limit");
  if (limit != swift->end()) {
    if (!limit->is_number_unsigned() || limit->get<uint64_t>() == 0 ||
        limit->get<uint64_t>() > UINT32_MAX) {
      return MakeError(ErrorCode::kBadResponse,
                       "GET /info: container_listing_limit is not a positive integer");
    }
    info.container_listing_limit = limit->get<uint32_t>();
  }
  return info;
}

}  // namespace swiftfs::swift
