// SHA-1 with the x86 SHA extensions (Intel 64 and IA-32 Architectures
// Software Developer's Manual, volume 2: SHA1RNDS4, SHA1NEXTE, SHA1MSG1,
// SHA1MSG2). SHA1RNDS4 does four rounds on {A, B, C, D} (A in the highest
// lane) with E folded into the message words by SHA1NEXTE; its immediate
// picks the function and constant of each group of 20 rounds.
#include "support/sha1_compress.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace buildinfo {

#if defined(__x86_64__)

namespace {

// Four rounds of group i (0 to 19), whose immediate must be a constant.
__attribute__((target("sha,sse4.1"))) inline __m128i four_rounds(__m128i abcd, __m128i e, int i) {
  switch (i / 5) {
    case 0: return _mm_sha1rnds4_epu32(abcd, e, 0);
    case 1: return _mm_sha1rnds4_epu32(abcd, e, 1);
    case 2: return _mm_sha1rnds4_epu32(abcd, e, 2);
    default: return _mm_sha1rnds4_epu32(abcd, e, 3);
  }
}

}  // namespace

__attribute__((target("sha,sse4.1"))) void sha1_compress_x86(uint32_t state[5], const uint8_t* blocks, size_t count) {
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);
  // Big-endian words, the first in the highest lane: all 16 bytes reversed.
  const __m128i reverse = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);

  for (; count > 0; --count, blocks += 64) {
    const __m128i saved_abcd = abcd, saved_e = e0;
    __m128i w[4];      // w[i % 4]: message words 4i .. 4i+3
    __m128i a = abcd;  // {A, B, C, D} before the last group: its A gives the next E
#pragma GCC unroll 20
    for (int i = 0; i < 20; ++i) {
      if (i < 4) {
        w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)), reverse);
      } else {
        // W[t] = (W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) rotated left by 1.
        const __m128i partial = _mm_xor_si128(_mm_sha1msg1_epu32(w[i % 4], w[(i + 1) % 4]), w[(i + 2) % 4]);
        w[i % 4] = _mm_sha1msg2_epu32(partial, w[(i + 3) % 4]);
      }
      const __m128i words = i == 0 ? _mm_add_epi32(e0, w[0]) : _mm_sha1nexte_epu32(a, w[i % 4]);
      a = abcd;
      abcd = four_rounds(abcd, words, i);
    }
    e0 = _mm_sha1nexte_epu32(a, saved_e);
    abcd = _mm_add_epi32(abcd, saved_abcd);
  }

  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_shuffle_epi32(abcd, 0x1B));
  state[4] = static_cast<uint32_t>(_mm_extract_epi32(e0, 3));
}

#else

void sha1_compress_x86(uint32_t state[5], const uint8_t* blocks, size_t count) {
  sha1_compress_portable(state, blocks, count);
}

#endif

}  // namespace buildinfo
