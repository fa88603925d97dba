#pragma once
// URL construction for the Swift API. Names are raw bytes; every byte outside RFC 3986's
// unreserved set is percent-encoded, except '/' inside object names (Swift treats the
// object part of the path as opaque, so "a//b" and a leading '/' survive as they are).
// Path segments "." and ".." are written as %2E so no HTTP stack can collapse them as
// dot-segments and address a different object.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace swiftfs::swift {

// "{storage_url}/{container}" with the container name fully encoded.
std::string ContainerUrl(std::string_view storage_url, std::string_view container);

// "{storage_url}/{container}/{object}", '/' in the object name kept.
std::string ObjectUrl(std::string_view storage_url, std::string_view container,
                      std::string_view object);

// Builds "?name=value&..." with every name and value percent-encoded; empty when no
// parameters were added. Parameters keep the order they were added in.
class QueryString {
 public:
  QueryString& Add(std::string_view name, std::string_view value);
  std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// The cluster's /info URL: everything before "/v1/" in the storage URL plus "/info"
// ("http://h:8080/v1/AUTH_x" -> "http://h:8080/info"). Falls back to the URL's
// scheme://authority when there is no "/v1/"; nullopt when the URL has no scheme.
std::optional<std::string> InfoUrl(std::string_view storage_url);

// Decodes %XX escapes. A '%' not followed by two hex digits is kept literally: the input
// comes from a server and must never make us fail or guess.
std::string PercentDecode(std::string_view encoded);

// A listing's symlink_path ("/v1/AUTH_x/container/obj%20ect") split into the account
// ("AUTH_x") and the target ("container/obj ect"), both percent-decoded. nullopt when the
// path does not have the /<version>/<account>/<container>/<object> shape.
struct SymlinkPath {
  std::string account;
  std::string target;
};
std::optional<SymlinkPath> ParseSymlinkPath(std::string_view symlink_path);

// The account of a storage URL: its last path segment, decoded ("AUTH_x"); empty if none.
std::string AccountOfStorageUrl(std::string_view storage_url);

}  // namespace swiftfs::swift
