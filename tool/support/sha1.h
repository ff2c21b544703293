// SHA-1 (FIPS 180-4), for git's object ids only: the git-state check
// (vcs/git_blob_id.h) names a file's contents as git does, in a program
// that links nothing but the C and C++ libraries. Not for signatures.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace buildinfo {

class Sha1 {
 public:
  using Digest = std::array<uint8_t, 20>;

  void update(const void* data, size_t size);
  Digest finish();

 private:
  void compress(const uint8_t* block);

  uint32_t state_[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  uint8_t block_[64] = {};
  size_t used_ = 0;
  uint64_t length_ = 0;  // in bytes
};

}  // namespace buildinfo
