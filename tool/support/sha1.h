// SHA-1 (FIPS 180-4), for git's object ids and legacy Mach-O code-signature
// hashes only: the git-state check (vcs/git_blob_id.h) names a file's
// contents as git does, in a program that links nothing but the C and C++
// libraries. Not for signatures. With the x86 SHA extensions where the
// processor has them (sha1_x86.cc).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "support/block_hash.h"

namespace buildinfo {

class Sha1 {
 public:
  using Digest = std::array<uint8_t, 20>;

  void update(const void* data, size_t size);
  Digest finish();

 private:
  uint32_t state_[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  BlockBuffer<64, 8> buffer_;
};

}  // namespace buildinfo
