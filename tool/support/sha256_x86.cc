// SHA-256 with the x86 SHA extensions (Intel 64 and IA-32 Architectures
// Software Developer's Manual, volume 2: SHA256RNDS2, SHA256MSG1,
// SHA256MSG2). SHA256RNDS2 does two rounds on the state held as two
// vectors, {A, B, E, F} and {C, D, G, H} (A in the highest lane); the
// message schedule comes four words at a time from the two MSG steps.
#include "support/sha256_compress.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace buildinfo {

#if defined(__x86_64__)

__attribute__((target("sha,sse4.1"))) void sha256_compress_x86(uint32_t state[8], const uint8_t* blocks, size_t count) {
  // Words of the state in memory order {a, b, c, d} and {e, f, g, h}, into
  // the {A, B, E, F} and {C, D, G, H} lanes the instructions expect.
  __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  const __m128i b_a_d_c = _mm_shuffle_epi32(abcd, 0xB1);
  const __m128i h_g_f_e = _mm_shuffle_epi32(efgh, 0x1B);
  __m128i abef = _mm_alignr_epi8(b_a_d_c, h_g_f_e, 8);
  __m128i cdgh = _mm_blend_epi16(h_g_f_e, b_a_d_c, 0xF0);
  // Each 32-bit message word is big-endian.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);

  for (; count > 0; --count, blocks += 64) {
    const __m128i saved_abef = abef, saved_cdgh = cdgh;
    // w[i % 4] holds message words 4i .. 4i+3 once computed.
    __m128i w[4];
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
      if (i < 4) {
        w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks + 16 * i)), byte_swap);
      } else {
        // W[t-16] + sigma0(W[t-15]), plus W[t-7], then sigma1(W[t-2]).
        const __m128i partial = _mm_sha256msg1_epu32(w[i % 4], w[(i + 1) % 4]);
        const __m128i with_t7 = _mm_add_epi32(partial, _mm_alignr_epi8(w[(i + 3) % 4], w[(i + 2) % 4], 4));
        w[i % 4] = _mm_sha256msg2_epu32(with_t7, w[(i + 3) % 4]);
      }
      const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256RoundConstants + 4 * i));
      const __m128i words = _mm_add_epi32(w[i % 4], k);
      // Two rounds with the low two words, two with the high two: after
      // each pair of rounds the old {A, B, E, F} is the new {C, D, G, H}.
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, words);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(words, 0x0E));
    }
    abef = _mm_add_epi32(abef, saved_abef);
    cdgh = _mm_add_epi32(cdgh, saved_cdgh);
  }

  // Back to memory order: lanes {a, b, e, f} and {g, h, c, d}, then mixed.
  const __m128i a_b_e_f = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i g_h_c_d = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(a_b_e_f, g_h_c_d, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(g_h_c_d, a_b_e_f, 8));
}

#else

void sha256_compress_x86(uint32_t state[8], const uint8_t* blocks, size_t count) {
  sha256_compress_portable(state, blocks, count);
}

#endif

}  // namespace buildinfo
