#pragma once
// Md5: the MD5 of a byte stream as Swift's ETag (32 lower-case hex digits), computed while
// the bytes are gathered, so every PUT can carry the ETag Swift checks the body against.
// Not thread-safe (one per body).

#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace swiftfs::core {

class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;

  void Update(std::span<const char> data);
  // The digest of everything given so far; the object is spent afterwards.
  std::string HexDigest();

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

std::string Md5Hex(std::span<const char> data);

}  // namespace swiftfs::core
