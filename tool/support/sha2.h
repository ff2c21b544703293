// SHA-256 and SHA-384 (FIPS 180-4: https://csrc.nist.gov/pubs/fips/180-4/upd1/final),
// the digests of the record, the image and Mach-O code signatures. Written
// here rather than taken from OpenSSL so that a stamp, a verify without keys
// and an inspect load no cryptographic library at all: loading libcrypto
// and fetching its digest was a third of a post-link step
// (docs/PERFORMANCE.md). SHA-256 uses the x86 SHA extensions where the
// processor has them (sha256_x86.cc), as fast as OpenSSL's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "support/block_hash.h"

namespace buildinfo {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;

  void update(const void* data, size_t size);
  Digest finish();

 private:
  uint32_t state_[8] = {
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  BlockBuffer<64, 8> buffer_;
};

class Sha384 {
 public:
  using Digest = std::array<uint8_t, 48>;

  void update(const void* data, size_t size);
  Digest finish();

 private:
  uint64_t state_[8] = {
      0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
      0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
  };
  BlockBuffer<128, 16> buffer_;
};

Sha256::Digest sha256(const void* data, size_t size);

}  // namespace buildinfo
