// SHA-256: FIPS 180-4, sections 4.1.2 (functions), 5.1.1 (padding), 5.3.3
// (initial value, in sha2.h) and 6.2.2 (the hash computation).
#include "support/sha2.h"
#include "support/sha256_compress.h"

namespace buildinfo {
namespace {

uint32_t rotate_right(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

using Compress = void (*)(uint32_t*, const uint8_t*, size_t);

Compress chosen_compress() {
  static const Compress compress = have_x86_sha_extensions() ? sha256_compress_x86 : sha256_compress_portable;
  return compress;
}

}  // namespace

void sha256_compress_portable(uint32_t state[8], const uint8_t* blocks, size_t count) {
  for (; count > 0; --count, blocks += 64) {
    uint32_t w[64];
    for (int t = 0; t < 16; ++t) w[t] = load_big_endian_32(blocks + 4 * t);
    for (int t = 16; t < 64; ++t) {
      const uint32_t s0 = rotate_right(w[t - 15], 7) ^ rotate_right(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const uint32_t s1 = rotate_right(w[t - 2], 17) ^ rotate_right(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int t = 0; t < 64; ++t) {
      const uint32_t sigma1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
      const uint32_t choose = (e & f) ^ (~e & g);
      const uint32_t t1 = h + sigma1 + choose + kSha256RoundConstants[t] + w[t];
      const uint32_t sigma0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
      const uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
      const uint32_t t2 = sigma0 + majority;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

void Sha256::update(const void* data, size_t size) {
  buffer_.update(data, size, [this](const uint8_t* blocks, size_t count) { chosen_compress()(state_, blocks, count); });
}

Sha256::Digest Sha256::finish() {
  buffer_.pad([this](const uint8_t* blocks, size_t count) { chosen_compress()(state_, blocks, count); });
  Digest digest;
  for (int i = 0; i < 8; ++i) store_big_endian(state_[i], digest.data() + 4 * i);
  return digest;
}

Sha256::Digest sha256(const void* data, size_t size) {
  Sha256 hash;
  hash.update(data, size);
  return hash.finish();
}

}  // namespace buildinfo
