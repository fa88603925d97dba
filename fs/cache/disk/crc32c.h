#pragma once
// CRC-32C (Castagnoli), the checksum of every cached block: the SSE4.2 crc32 instruction
// when the CPU has it (several GB/s, so verifying a block on every load costs little next
// to reading it from disk), else a byte-wise table. Both give the same value.

#include <cstdint>
#include <span>

namespace swiftfs::cache {

// CRC-32C of `data`, continuing from `crc` (0 to start).
uint32_t Crc32c(std::span<const char> data, uint32_t crc = 0);

// The table implementation alone, for tests that compare it with the fast one.
uint32_t Crc32cPortable(std::span<const char> data, uint32_t crc = 0);

}  // namespace swiftfs::cache
