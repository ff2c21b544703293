// The PE optional-header CheckSum: where it is and how to compute it.
#pragma once

#include <cstdint>

#include "byte_view.h"

namespace buildinfo {

// File offset of the optional header's CheckSum field (optional header + 64,
// the same in PE32 and PE32+). Throws malformed() when the headers are broken.
uint64_t pe_checksum_offset(ByteView file);

// The CheckSum the loader expects for `file`: the sum of the file as
// little-endian 16-bit words (a trailing odd byte padded with zero) with the
// 4 bytes at `checksum_offset` counted as zero, carries folded into 16 bits,
// plus the file length. Throws malformed() if the field is outside the file.
// https://learn.microsoft.com/en-us/windows/win32/debug/pe-format (CheckSum);
// the same algorithm as imagehlp's CheckSumMappedFile and lld's writePEChecksum.
uint32_t pe_checksum(ByteView file, uint64_t checksum_offset);

}  // namespace buildinfo
