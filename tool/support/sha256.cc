// SHA-256: FIPS 180-4, sections 4.1.2 (functions), 5.1.1 (padding), 5.3.3
// (initial value, in sha2.h) and 6.2.2 (the hash computation, sha2_rounds.h).
#include "support/sha2.h"
#include "support/sha256_compress.h"
#include "support/sha2_rounds.h"

namespace buildinfo {
namespace {

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
    sha2_block(
        state, w, kSha256RoundConstants, [](uint32_t x) { return rotate_right(x, 7) ^ rotate_right(x, 18) ^ (x >> 3); },
        [](uint32_t x) { return rotate_right(x, 17) ^ rotate_right(x, 19) ^ (x >> 10); },
        [](uint32_t x) { return rotate_right(x, 2) ^ rotate_right(x, 13) ^ rotate_right(x, 22); },
        [](uint32_t x) { return rotate_right(x, 6) ^ rotate_right(x, 11) ^ rotate_right(x, 25); });
  }
}

void Sha256::update(const void* data, size_t size) {
  buffer_.update(data, size, [this](const uint8_t* blocks, size_t count) { chosen_compress()(state_, blocks, count); });
}

Sha256::Digest Sha256::finish() {
  buffer_.pad([this](const uint8_t* blocks, size_t count) { chosen_compress()(state_, blocks, count); });
  return big_endian_digest<Digest>(state_);
}

}  // namespace buildinfo
