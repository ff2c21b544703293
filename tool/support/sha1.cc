// SHA-1 as specified in FIPS 180-4, sections 5.1.1 (padding), 6.1.1
// (initial value, in sha1.h) and 6.1.2 (the hash computation):
// https://csrc.nist.gov/pubs/fips/180-4/upd1/final
#include "support/sha1.h"

#include <cstring>

namespace buildinfo {
namespace {

uint32_t rotate_left(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

uint32_t big_endian_32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 |
         static_cast<uint32_t>(p[3]);
}

}  // namespace

void Sha1::compress(const uint8_t* block) {
  uint32_t w[80];
  for (int t = 0; t < 16; ++t) w[t] = big_endian_32(block + 4 * t);
  for (int t = 16; t < 80; ++t) w[t] = rotate_left(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  // One loop per group of 20 rounds, each with its function and constant.
  const auto round = [&](uint32_t f, uint32_t k, uint32_t word) {
    const uint32_t temp = rotate_left(a, 5) + f + e + k + word;
    e = d;
    d = c;
    c = rotate_left(b, 30);
    b = a;
    a = temp;
  };
  for (int t = 0; t < 20; ++t) round((b & c) | (~b & d), 0x5a827999, w[t]);            // Ch
  for (int t = 20; t < 40; ++t) round(b ^ c ^ d, 0x6ed9eba1, w[t]);                    // Parity
  for (int t = 40; t < 60; ++t) round((b & c) | (b & d) | (c & d), 0x8f1bbcdc, w[t]);  // Maj
  for (int t = 60; t < 80; ++t) round(b ^ c ^ d, 0xca62c1d6, w[t]);                    // Parity
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
}

void Sha1::update(const void* data, size_t size) {
  const auto* bytes = static_cast<const uint8_t*>(data);
  length_ += size;
  if (used_ > 0) {
    const size_t take = size < 64 - used_ ? size : 64 - used_;
    std::memcpy(block_ + used_, bytes, take);
    used_ += take;
    bytes += take;
    size -= take;
    if (used_ < 64) return;
    compress(block_);
    used_ = 0;
  }
  for (; size >= 64; bytes += 64, size -= 64) compress(bytes);
  std::memcpy(block_, bytes, size);
  used_ = size;
}

Sha1::Digest Sha1::finish() {
  // A one bit, zeros up to 56 bytes into a block, the length in bits.
  const uint64_t bits = length_ * 8;
  const uint8_t one = 0x80;
  update(&one, 1);
  const uint8_t zero = 0;
  while (used_ != 56) update(&zero, 1);
  uint8_t length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
  update(length, 8);
  Digest digest;
  for (int i = 0; i < 5; ++i) {
    digest[4 * i] = static_cast<uint8_t>(state_[i] >> 24);
    digest[4 * i + 1] = static_cast<uint8_t>(state_[i] >> 16);
    digest[4 * i + 2] = static_cast<uint8_t>(state_[i] >> 8);
    digest[4 * i + 3] = static_cast<uint8_t>(state_[i]);
  }
  return digest;
}

}  // namespace buildinfo
