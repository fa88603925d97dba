#include "core/md5.h"

#include <openssl/evp.h>

namespace swiftfs::core {

struct Md5::Context {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

Md5::Md5() : ctx_(std::make_unique<Context>()) {
  EVP_DigestInit_ex(ctx_->ctx.get(), EVP_md5(), nullptr);
}
Md5::~Md5() = default;

void Md5::Update(std::span<const char> data) {
  EVP_DigestUpdate(ctx_->ctx.get(), data.data(), data.size());
}

std::string Md5::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx_->ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size_t{2} * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string Md5Hex(std::span<const char> data) {
  Md5 md5;
  md5.Update(data);
  return md5.HexDigest();
}

}  // namespace swiftfs::core
