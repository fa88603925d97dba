#include "cache/disk/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace swiftfs::cache {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // Castagnoli, reflected

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kTable = MakeTable();

// CRC arithmetic modulo the polynomial, reflected (as zlib's crc32_combine): joining the
// CRCs of two pieces computed apart. a(x) * b(x) mod p(x), bit 31 being x^0.
constexpr uint32_t MultModP(uint32_t a, uint32_t b) {
  uint32_t m = 1u << 31;
  uint32_t product = 0;
  while (true) {
    if (a & m) {
      product ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ kPolynomial : b >> 1;
  }
  return product;
}

// kX2n[k] = x^(2^k) mod p(x): enough powers for any length of bits in 64 bits.
constexpr std::array<uint32_t, 64> MakeX2n() {
  std::array<uint32_t, 64> table{};
  uint32_t p = 1u << 30;  // x^1
  for (uint32_t& entry : table) {
    entry = p;
    p = MultModP(p, p);
  }
  return table;
}
constexpr std::array<uint32_t, 64> kX2n = MakeX2n();

// The CRC of A followed by B, from the CRC of A, the CRC of B (started from 0) and B's length:
// A's CRC shifted over len_b zero bytes (x^(8 len_b) mod p), plus B's.
uint32_t Combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b) {
  uint32_t shift = 1u << 31;  // x^0
  unsigned k = 3;             // bytes to bits: x^(len_b * 2^3)
  for (uint64_t n = len_b; n != 0; n >>= 1, ++k) {
    if (n & 1) shift = MultModP(kX2n[k & 63], shift);
  }
  return MultModP(shift, crc_a) ^ crc_b;
}

#if defined(__x86_64__)
// Inputs this long or longer are cut in three (a block is 1 MiB): crc32q takes 3 cycles
// but the unit starts one each cycle, so one dependency chain uses a third of it. Three
// chains run interleaved, then Combine joins them (two joins: about a microsecond).
constexpr size_t kThreeWayFrom = size_t{3} * 4096;

__attribute__((target("sse4.2"))) uint32_t Crc32cHardware(std::span<const char> data,
                                                          uint32_t crc) {
  const char* p = data.data();
  size_t n = data.size();
  auto word = [](const char* at) {
    uint64_t w;
    std::memcpy(&w, at, 8);
    return w;
  };
  if (n >= kThreeWayFrom) {
    const size_t third = n / 3 / 8 * 8;
    uint64_t a = ~crc;
    uint64_t b = 0xFFFFFFFF;  // B and C start from 0 (their CRCs are joined after)
    uint64_t c = 0xFFFFFFFF;
    for (size_t i = 0; i < third; i += 8) {
      a = _mm_crc32_u64(a, word(p + i));
      b = _mm_crc32_u64(b, word(p + third + i));
      c = _mm_crc32_u64(c, word(p + 2 * third + i));
    }
    // C goes on over what is left after the three thirds.
    std::span<const char> rest = data.subspan(3 * third);
    const uint32_t crc_c = Crc32cHardware(rest, ~static_cast<uint32_t>(c));
    const uint32_t joined = Combine(~static_cast<uint32_t>(a), ~static_cast<uint32_t>(b), third);
    return Combine(joined, crc_c, n - 2 * third);
  }
  uint64_t c = ~crc;
  while (n >= 8) {
    c = _mm_crc32_u64(c, word(p));
    p += 8;
    n -= 8;
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  while (n-- > 0) c32 = _mm_crc32_u8(c32, static_cast<uint8_t>(*p++));
  return ~c32;
}

bool HasSse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");  // constant: not shared state
  return has;
}
#endif

}  // namespace

uint32_t Crc32cPortable(std::span<const char> data, uint32_t crc) {
  uint32_t c = ~crc;
  for (char byte : data) c = kTable[(c ^ static_cast<uint8_t>(byte)) & 0xFF] ^ (c >> 8);
  return ~c;
}

uint32_t Crc32c(std::span<const char> data, uint32_t crc) {
#if defined(__x86_64__)
  if (HasSse42()) return Crc32cHardware(data, crc);
#endif
  return Crc32cPortable(data, crc);
}

}  // namespace swiftfs::cache
