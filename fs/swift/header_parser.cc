#include "swift/header_parser.h"

#include <charconv>

#include "swift/swift_urls.h"
#include "swiftfs/common/strings.h"
#include "swiftfs/common/time_format.h"

namespace swiftfs::swift {

namespace {

constexpr std::string_view kObjectMetaPrefix = "X-Object-Meta-";

Error Malformed(std::string_view header, std::string_view value, std::string_view target) {
  return MakeError(ErrorCode::kBadResponse,
                   "HEAD " + std::string(target) + ": malformed " + std::string(header) +
                       " header: '" + std::string(value.substr(0, 64)) + "'",
                   0, std::string(target));
}

// Reads an optional count header into `out`; absent leaves `out` alone.
Status ReadCount(const http::Headers& headers, std::string_view name, std::string_view target,
                 uint64_t& out) {
  const auto value = headers.Get(name);
  if (!value) return OkStatus();
  const auto parsed = ParseUint64(*value);
  if (!parsed) return Malformed(name, *value, target);
  out = *parsed;
  return OkStatus();
}

std::optional<WallTime> TimeFromHeaders(const http::Headers& headers,
                                        std::initializer_list<std::string_view> epoch_headers) {
  if (const auto date = headers.Get("Last-Modified")) {
    if (auto parsed = ParseHttpDate(*date)) return *parsed;
  }
  for (std::string_view name : epoch_headers) {
    if (const auto stamp = headers.Get(name)) {
      if (auto parsed = ParseEpochSeconds(*stamp)) return *parsed;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> ParseUint64(std::string_view text) {
  text = TrimWhitespace(text);
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string StripEtagQuotes(std::string_view etag) {
  etag = TrimWhitespace(etag);
  if (StartsWith(etag, "W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Result<AccountInfo> ParseAccountHeaders(const http::Headers& headers) {
  AccountInfo info;
  for (auto [name, field] : {std::pair{"X-Account-Bytes-Used", &info.bytes_used},
                             std::pair{"X-Account-Object-Count", &info.object_count},
                             std::pair{"X-Account-Container-Count", &info.container_count}}) {
    if (Status s = ReadCount(headers, name, "account", *field); !s) return s.error();
  }
  if (const auto quota = headers.Get("X-Account-Meta-Quota-Bytes")) {
    const auto parsed = ParseUint64(*quota);
    if (!parsed) return Malformed("X-Account-Meta-Quota-Bytes", *quota, "account");
    info.quota_bytes = *parsed;
  }
  return info;
}

Result<ContainerEntry> ParseContainerHeaders(std::string_view container,
                                             const http::Headers& headers) {
  ContainerEntry entry;
  entry.name = std::string(container);
  if (Status s = ReadCount(headers, "X-Container-Object-Count", container, entry.object_count);
      !s) {
    return s.error();
  }
  if (Status s = ReadCount(headers, "X-Container-Bytes-Used", container, entry.bytes); !s) {
    return s.error();
  }
  entry.last_modified = TimeFromHeaders(headers, {"X-Put-Timestamp", "X-Timestamp"});
  return entry;
}

Result<ObjectInfo> ParseObjectHeaders(std::string_view name, const http::Headers& headers) {
  ObjectInfo info;
  info.name = std::string(name);
  const auto length = headers.Get("Content-Length");
  if (!length) {
    return MakeError(ErrorCode::kBadResponse,
                     "HEAD " + std::string(name) + ": reply has no Content-Length", 0,
                     std::string(name));
  }
  const auto size = ParseUint64(*length);
  if (!size) return Malformed("Content-Length", *length, name);
  info.size = *size;
  info.etag = StripEtagQuotes(headers.Get("ETag").value_or(""));
  info.content_type = headers.Get("Content-Type").value_or("");
  info.timestamp = std::string(TrimWhitespace(headers.Get("X-Timestamp").value_or("")));
  info.last_modified = TimeFromHeaders(headers, {"X-Timestamp"}).value_or(WallTime{});

  for (const auto& [field, value] : headers.WithPrefix(kObjectMetaPrefix)) {
    const std::string key = ToLower(std::string_view(field).substr(kObjectMetaPrefix.size()));
    if (key.empty()) continue;
    info.metadata.emplace(key, value);
    // swiftclient and rclone store the source file's mtime here as float seconds; an
    // unparsable value stays visible as metadata but does not pretend to be a time.
    if (key == "mtime") {
      if (auto mtime = ParseEpochSeconds(value)) info.meta_mtime = *mtime;
    }
  }

  // The value is the percent-encoded "container/object" the link was created with.
  if (const auto target = headers.Get("X-Symlink-Target")) {
    info.symlink_target = PercentDecode(TrimWhitespace(*target));
  }
  if (const auto account = headers.Get("X-Symlink-Target-Account")) {
    info.symlink_target_account = PercentDecode(TrimWhitespace(*account));
  }
  info.is_dlo = headers.Has("X-Object-Manifest");
  info.is_slo =
      EqualsIgnoreCase(TrimWhitespace(headers.Get("X-Static-Large-Object").value_or("")), "true");
  return info;
}

}  // namespace swiftfs::swift
