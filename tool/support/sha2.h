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
#include "support/cpu_features.h"

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

// Where the processor has no SHA extensions the portable SHA-256 runs at
// 0.32 GB/s here, OpenSSL's at 0.73 GB/s (its SHA extensions masked with
// OPENSSL_ia32cap): for long inputs another implementation pays for its
// loading (docs/PERFORMANCE.md). An engine is such an implementation:
// begin() gives a state (null when it cannot), update() adds bytes, end()
// writes the 32 bytes of the digest and frees the state; both return 1 on
// success.
struct Sha256Engine {
  void* (*begin)();
  int32_t (*update)(void* state, const uint8_t* data, uint64_t size);
  int32_t (*end)(void* state, uint8_t* digest);
};

// Sets where LongSha256 finds an engine: `source` is called when one is
// needed and returns null when there is none. Call it before any hashing.
void set_long_input_sha256(const Sha256Engine* (*source)());

// Whether an input of `size` bytes is hashed by the engine: long (4 MiB or
// more) and on a processor without the SHA extensions.
bool long_input_engine_applies(uint64_t size, bool processor_has_sha_extensions);

// SHA-256 of an input of about `expected_size` bytes: with the engine where
// long_input_engine_applies() and there is one, otherwise Sha256. The digest
// is the same either way. (The second argument is for tests.)
class LongSha256 {
 public:
  explicit LongSha256(uint64_t expected_size, bool processor_has_sha_extensions = have_x86_sha_extensions());
  ~LongSha256();
  LongSha256(const LongSha256&) = delete;
  LongSha256& operator=(const LongSha256&) = delete;

  void update(const void* data, size_t size);
  Sha256::Digest finish();

 private:
  Sha256 own_;
  const Sha256Engine* engine_ = nullptr;
  void* state_ = nullptr;
};

}  // namespace buildinfo
