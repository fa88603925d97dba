#include "swiftfs/common/secret.h"

#include <cstdint>
#include <cstdio>

namespace swiftfs {

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    Wipe();
    value_ = std::move(other.value_);
    other.Wipe();
  }
  return *this;
}

void Secret::Wipe() {
  // volatile writes so the compiler cannot drop the wipe of memory about to be freed.
  volatile char* p = value_.data();
  for (size_t i = 0; i < value_.size(); ++i) p[i] = 0;
  value_.clear();
}

std::string TokenFingerprint(const Secret& token) {
  if (token.empty()) return "tok:none";
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : token.Reveal()) {
    hash ^= c;
    hash *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "tok:%08x", hash);
  return buf;
}

}  // namespace swiftfs
