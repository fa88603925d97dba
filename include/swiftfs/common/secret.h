#pragma once
// Secret: a string that must never reach a log line, an error message or an exception.
// It has no operator<< and no implicit conversion; code that needs the bytes (to put them
// in an HTTP header or body) calls Reveal() explicitly, which makes leaks easy to grep for.
// The storage is wiped on destruction so secrets linger less in freed memory.

#include <string>
#include <string_view>

namespace swiftfs {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.Wipe(); }
  Secret& operator=(Secret&& other) noexcept;
  ~Secret() { Wipe(); }

  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  void Wipe();
  std::string value_;
};

// A short, non-reversible tag of a token for logs: "tok:1a2b3c4d" (FNV-1a of the bytes).
std::string TokenFingerprint(const Secret& token);

}  // namespace swiftfs
