#pragma once
// Small string helpers shared by layers.

#include <string>
#include <string_view>
#include <vector>

namespace swiftfs {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToLower(std::string_view s);
std::string_view TrimWhitespace(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::vector<std::string> Split(std::string_view s, char sep);

// Case-insensitive ordering for header maps.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};

}  // namespace swiftfs
