#include "swift/swift_urls.h"

#include "swiftfs/http/http_client.h"

namespace swiftfs::swift {

namespace {

// Percent-encodes `raw` and rewrites "." and ".." segments so they are not dot-segments.
std::string EncodePath(std::string_view raw, bool keep_slash) {
  std::string out;
  out.reserve(raw.size() * 3);
  size_t start = 0;
  while (true) {
    const size_t end = keep_slash ? raw.find('/', start) : std::string_view::npos;
    const std::string_view segment = raw.substr(start, end - start);
    if (segment == ".") {
      out += "%2E";
    } else if (segment == "..") {
      out += "%2E%2E";
    } else {
      out += http::PercentEncode(segment, /*keep_slash=*/false);
    }
    if (end == std::string_view::npos) break;
    out.push_back('/');
    start = end + 1;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ContainerUrl(std::string_view storage_url, std::string_view container) {
  std::string url(storage_url);
  url.push_back('/');
  url += EncodePath(container, /*keep_slash=*/false);
  return url;
}

std::string ObjectUrl(std::string_view storage_url, std::string_view container,
                      std::string_view object) {
  std::string url = ContainerUrl(storage_url, container);
  url.push_back('/');
  url += EncodePath(object, /*keep_slash=*/true);
  return url;
}

QueryString& QueryString::Add(std::string_view name, std::string_view value) {
  params_.emplace_back(http::PercentEncode(name, false), http::PercentEncode(value, false));
  return *this;
}

std::string QueryString::str() const {
  std::string out;
  for (const auto& [name, value] : params_) {
    out.push_back(out.empty() ? '?' : '&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::optional<std::string> InfoUrl(std::string_view storage_url) {
  const size_t scheme_end = storage_url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  const size_t authority_start = scheme_end + 3;
  const size_t version = storage_url.find("/v1/", authority_start);
  if (version != std::string_view::npos) {
    return std::string(storage_url.substr(0, version)) + "/info";
  }
  const size_t path_start = storage_url.find('/', authority_start);
  return std::string(storage_url.substr(0, path_start)) + "/info";
}

std::string PercentDecode(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      const int high = HexValue(encoded[i + 1]);
      const int low = HexValue(encoded[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(encoded[i]);
  }
  return out;
}

std::optional<SymlinkPath> ParseSymlinkPath(std::string_view symlink_path) {
  // "/<version>/<account>/<container>/<object>"
  std::string_view rest = symlink_path;
  if (rest.empty() || rest.front() != '/') return std::nullopt;
  rest.remove_prefix(1);
  const size_t version_end = rest.find('/');
  if (version_end == std::string_view::npos || version_end == 0) return std::nullopt;
  rest.remove_prefix(version_end + 1);
  const size_t account_end = rest.find('/');
  if (account_end == std::string_view::npos || account_end == 0) return std::nullopt;
  const std::string_view account = rest.substr(0, account_end);
  rest.remove_prefix(account_end + 1);
  const size_t container_end = rest.find('/');
  if (container_end == std::string_view::npos || container_end == 0 ||
      container_end + 1 == rest.size()) {
    return std::nullopt;
  }
  return SymlinkPath{PercentDecode(account), PercentDecode(rest)};
}

std::string AccountOfStorageUrl(std::string_view storage_url) {
  while (!storage_url.empty() && storage_url.back() == '/') storage_url.remove_suffix(1);
  const size_t slash = storage_url.rfind('/');
  const size_t scheme = storage_url.find("://");
  if (slash == std::string_view::npos || (scheme != std::string_view::npos && slash < scheme + 3)) {
    return {};
  }
  return PercentDecode(storage_url.substr(slash + 1));
}

}  // namespace swiftfs::swift
