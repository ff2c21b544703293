// What the SHA-1 and SHA-2 hashes share (FIPS 180-4, sections 5.1 and 5.2:
// https://csrc.nist.gov/pubs/fips/180-4/upd1/final): bytes gathered into
// fixed blocks, and the padding of the last one (a one bit, zeros, then the
// message length in bits, big-endian). `Compress` is the hash's
// compression function over whole blocks: compress(blocks, count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace buildinfo {

template <size_t kBlockSize, size_t kLengthSize>
class BlockBuffer {
 public:
  template <typename Compress>
  void update(const void* data, size_t size, Compress&& compress) {
    if (size == 0) return;  // `data` may then be null, which memcpy must not see
    const auto* bytes = static_cast<const uint8_t*>(data);
    length_ += size;
    if (used_ > 0) {
      const size_t take = size < kBlockSize - used_ ? size : kBlockSize - used_;
      std::memcpy(block_ + used_, bytes, take);
      used_ += take;
      bytes += take;
      size -= take;
      if (used_ < kBlockSize) return;
      compress(block_, 1);
      used_ = 0;
    }
    // Whole blocks straight from the caller's bytes, in one call.
    if (size >= kBlockSize) {
      compress(bytes, size / kBlockSize);
      bytes += size - size % kBlockSize;
      size %= kBlockSize;
    }
    std::memcpy(block_, bytes, size);
    used_ = size;
  }

  template <typename Compress>
  void pad(Compress&& compress) {
    const uint64_t bits = length_ * 8;  // lengths beyond 2^61 bytes are not met here
    block_[used_++] = 0x80;
    if (used_ > kBlockSize - kLengthSize) {
      std::memset(block_ + used_, 0, kBlockSize - used_);
      compress(block_, 1);
      used_ = 0;
    }
    std::memset(block_ + used_, 0, kBlockSize - used_);
    for (size_t i = 0; i < 8; ++i) block_[kBlockSize - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
    compress(block_, 1);
    used_ = 0;
  }

 private:
  uint8_t block_[kBlockSize] = {};
  size_t used_ = 0;
  uint64_t length_ = 0;  // in bytes
};

// Big-endian words in and out of the byte streams the hashes read and write.
inline uint32_t load_big_endian_32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 | static_cast<uint32_t>(p[2]) << 8 |
         static_cast<uint32_t>(p[3]);
}

inline uint64_t load_big_endian_64(const uint8_t* p) {
  return static_cast<uint64_t>(load_big_endian_32(p)) << 32 | load_big_endian_32(p + 4);
}

// A hash's digest: the leading bytes of its state words, each big-endian
// (SHA-384 keeps 6 of its 8 words).
template <typename Digest, typename Word>
Digest big_endian_digest(const Word* state) {
  Digest digest;
  for (size_t i = 0; i < digest.size(); ++i)
    digest[i] = static_cast<uint8_t>(state[i / sizeof(Word)] >> (8 * (sizeof(Word) - 1 - i % sizeof(Word))));
  return digest;
}

// The digest of `size` bytes at `data` with `Hash` (Sha1, Sha256, Sha384).
template <typename Hash>
typename Hash::Digest digest_of(const void* data, size_t size) {
  Hash hash;
  hash.update(data, size);
  return hash.finish();
}

}  // namespace buildinfo
