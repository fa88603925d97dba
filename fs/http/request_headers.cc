#include "request_headers.h"

#include <cstring>
#include <string>

#include "swiftfs/common/strings.h"

namespace swiftfs::http {

namespace {

// RFC 9110 token characters.
bool IsTokenChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Appends one line; on failure the list given is still owned by `list`.
bool Append(CurlSlist& list, std::string line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  explicit_bzero(line.data(), line.size());  // libcurl copied it; the value may be a token
  if (head == nullptr) return false;
  (void)list.release();  // `head` is the same list, now one item longer
  list.reset(head);
  return true;
}

}  // namespace

bool SendsBody(const Request& request) {
  return request.method == Method::kPut || request.method == Method::kPost ||
         !RequestBody(request).empty();
}

Result<CurlSlist> BuildHeaderList(const Request& request) {
  CurlSlist list;
  for (const auto& [name, value] : request.headers.All()) {
    if (!IsValidName(name)) {
      return MakeError(ErrorCode::kInvalidArgument, "invalid HTTP header name");
    }
    if (!IsValidValue(value)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "HTTP header " + name + " has a line break in its value");
    }
    // libcurl reads "Name:" as "remove this header"; "Name;" sends it with an empty value.
    std::string line =
        value.empty() ? name + ";" : name + ": " + std::string(TrimWhitespace(value));
    if (!Append(list, std::move(line))) {
      return MakeError(ErrorCode::kInternal, "out of memory building request headers");
    }
  }
  const bool ok =
      (request.headers.Has("Expect") || Append(list, "Expect:")) &&
      (!SendsBody(request) || request.headers.Has("Content-Type") || Append(list, "Content-Type:"));
  if (!ok) return MakeError(ErrorCode::kInternal, "out of memory building request headers");
  return list;
}

}  // namespace swiftfs::http
