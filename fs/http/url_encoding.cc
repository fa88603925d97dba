#include "swiftfs/http/http_client.h"

namespace swiftfs::http {

std::string PercentEncode(std::string_view raw, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size() * 3);
  for (unsigned char c : raw) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace swiftfs::http

namespace swiftfs::http {

std::string UrlForLog(std::string_view url) {
  std::string_view rest = url;
  if (const size_t scheme_end = rest.find("://");
      scheme_end != std::string_view::npos && rest.find_first_of("/?#") > scheme_end) {
    rest.remove_prefix(scheme_end + 3);
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  rest.remove_prefix(authority.size());
  // "user:password@host": keep only what follows the last '@'.
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  const std::string_view path = rest.substr(0, rest.find_first_of("?#"));
  std::string out(authority);
  out.append(path);
  return out;
}

}  // namespace swiftfs::http
