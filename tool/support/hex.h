// Lowercase hex of bytes (digests, key ids, build-ids).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace buildinfo {

inline std::string hex(const uint8_t* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

}  // namespace buildinfo
