#include "cli/argv_scrub.h"

#include <cstring>
#include <string_view>

namespace swiftfs::cli {
namespace {

// Scrubs the secret values of one comma-separated option list stored at `list`.
void ScrubList(char* list) {
  const size_t length = std::strlen(list);
  size_t write = 0;
  size_t read = 0;
  while (read < length) {
    // One item: [read, end). A '\,' escape stays inside the item.
    size_t end = read;
    while (end < length && list[end] != ',') end += (list[end] == '\\' && end + 1 < length) ? 2 : 1;
    const char* item = list + read;
    const size_t item_length = end - read;
    const char* eq = static_cast<const char*>(std::memchr(item, '=', item_length));
    size_t keep = item_length;
    if (eq != nullptr && IsSecretOptionName(item, static_cast<unsigned long>(eq - item))) {
      keep = static_cast<size_t>(eq - item) + 1;  // "password="
    }
    std::memmove(list + write, item, keep);
    write += keep;
    if (end < length) list[write++] = ',';
    read = end + 1;
  }
  std::memset(list + write, 0, length - write);
}

}  // namespace

bool IsSecretOptionName(const char* name, unsigned long length) {
  const std::string_view n(name, length);
  auto ends_with = [&](std::string_view suffix) {
    return n.size() >= suffix.size() && n.substr(n.size() - suffix.size()) == suffix;
  };
  return n == "password" || ends_with("secret") || ends_with("token") || n == "key";
}

void ScrubSecretOptions(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
      ScrubList(argv[++i]);
    } else if (std::strncmp(argv[i], "-o", 2) == 0) {
      ScrubList(argv[i] + 2);
    }
  }
}

}  // namespace swiftfs::cli
