// SHA-1 as specified in FIPS 180-4, sections 5.1.1 (padding), 6.1.1
// (initial value, in sha1.h) and 6.1.2 (the hash computation):
// https://csrc.nist.gov/pubs/fips/180-4/upd1/final
#include "support/sha1.h"

#include "support/sha1_compress.h"

namespace buildinfo {
namespace {

uint32_t rotate_left(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

using Compress = void (*)(uint32_t*, const uint8_t*, size_t);

Compress chosen_compress() {
  static const Compress compress = have_x86_sha_extensions() ? sha1_compress_x86 : sha1_compress_portable;
  return compress;
}

}  // namespace

void sha1_compress_portable(uint32_t state[5], const uint8_t* blocks, size_t count) {
  for (; count > 0; --count, blocks += 64) {
    uint32_t w[80];
    for (int t = 0; t < 16; ++t) w[t] = load_big_endian_32(blocks + 4 * t);
    for (int t = 16; t < 80; ++t) w[t] = rotate_left(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
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
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
  }
}

void Sha1::update(const void* data, size_t size) {
  buffer_.update(data, size, [this](const uint8_t* blocks, size_t count) { chosen_compress()(state_, blocks, count); });
}

Sha1::Digest Sha1::finish() {
  buffer_.pad([this](const uint8_t* blocks, size_t count) { chosen_compress()(state_, blocks, count); });
  return big_endian_digest<Digest>(state_);
}

}  // namespace buildinfo
