// The computation SHA-256 and SHA-512 share (FIPS 180-4, sections 6.2.2 and
// 6.4.2): the message schedule and the rounds, over 32- or 64-bit words.
// The two differ only in their word size, number of rounds, constants and
// the rotations of their four functions, which the caller passes.
#pragma once

#include <cstddef>

namespace buildinfo {

template <typename Word>
Word rotate_right(Word x, int n) {
  return static_cast<Word>((x >> n) | (x << (8 * sizeof(Word) - n)));
}

// The hash of one block whose words are `w[0..15]` (w has room for the whole
// schedule). sigma0/sigma1 are the schedule's functions, big_sigma0/1 the
// rounds'.
template <size_t kRounds, typename Word, typename Sigma0, typename Sigma1, typename BigSigma0, typename BigSigma1>
void sha2_block(Word state[8], Word (&w)[kRounds], const Word (&k)[kRounds], Sigma0 sigma0, Sigma1 sigma1,
                BigSigma0 big_sigma0, BigSigma1 big_sigma1) {
  for (size_t t = 16; t < kRounds; ++t) w[t] = w[t - 16] + sigma0(w[t - 15]) + w[t - 7] + sigma1(w[t - 2]);
  Word a = state[0], b = state[1], c = state[2], d = state[3];
  Word e = state[4], f = state[5], g = state[6], h = state[7];
  for (size_t t = 0; t < kRounds; ++t) {
    const Word choose = (e & f) ^ (~e & g);
    const Word majority = (a & b) ^ (a & c) ^ (b & c);
    const Word t1 = h + big_sigma1(e) + choose + k[t] + w[t];
    const Word t2 = big_sigma0(a) + majority;
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

}  // namespace buildinfo
