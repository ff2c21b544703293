// image.sha256 over a format's DigestPlan (see image_digest.h). One streaming
// SHA-256 over ranges of the file: every byte is read once, zeroed ranges
// are fed from a static buffer; large ranges are read through a buffer
// when a descriptor is given.
#include "formats/image_digest.h"

#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "support/hex.h"
#include "support/mapped_file.h"
#include "support/sha2.h"

namespace buildinfo {
namespace {

uint64_t end_of(const FileRange& r) { return r.offset + r.length; }

// SHA-256 over file ranges in which some bytes count as zeros. The zeroed
// ranges must lie inside the file (checked by the constructor).
class ImageHasher {
 public:
  // `length`: about how many bytes the digest will take in.
  ImageHasher(ByteView file, std::vector<FileRange> zeroed, int fd, uint64_t length)
      : file_(file), fd_(fd), zeroed_(std::move(zeroed)), sha256_(length) {
    for (const FileRange& z : zeroed_)
      if (!file_.contains(z.offset, z.length))
        throw file_.malformed("a field the image digest zeroes lies outside the file");
    std::sort(zeroed_.begin(), zeroed_.end(),
              [](const FileRange& a, const FileRange& b) { return a.offset < b.offset; });
  }

  // The file bytes of `range`, with the zeroed ranges inside it as zeros.
  void bytes(const DigestPlan::Range& range) {
    if (range.length == 0) return;  // e.g. a .bss-only PT_LOAD, whose offset may lie past EOF
    if (!file_.contains(range.offset, range.length))
      throw file_.malformed(std::string(range.what) + " lies outside the file");
    uint64_t at = range.offset;
    const uint64_t end = range.offset + range.length;
    for (const FileRange& z : zeroed_) {
      if (at >= end) break;
      if (end_of(z) <= at || z.offset >= end) continue;
      if (z.offset > at) file_bytes(at, z.offset - at);
      const uint64_t zero_end = std::min(end_of(z), end);
      zeros(zero_end - std::max(z.offset, at));
      at = zero_end;
    }
    if (at < end) file_bytes(at, end - at);
  }

  void zeros(uint64_t n) {
    static const uint8_t kZeros[4096] = {};
    while (n > 0) {
      const uint64_t chunk = std::min<uint64_t>(n, sizeof kZeros);
      update(kZeros, chunk);
      n -= chunk;
    }
  }

  void u64le(uint64_t value) {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(value >> (8 * i));
    update(b, sizeof b);
  }

  std::string hex() {
    const Sha256::Digest digest = sha256_.finish();
    return buildinfo::hex(digest.data(), digest.size());
  }

 private:
  // `n` bytes of the file from `offset`, which lie inside it.
  void file_bytes(uint64_t offset, uint64_t n) {
    constexpr size_t kBuffer = 256 * 1024;  // fits the L2 cache with room to spare
    // Page-aligned: the kernel copied five times slower into malloc's
    // block, 16 bytes past a page boundary, on an AMD EPYC host
    // (docs/PERFORMANCE.md, "The read buffer's alignment").
    constexpr size_t kAlignment = 4096;
    if (fd_ < 0 || n < kReadThroughDescriptorFrom) return update(file_.data() + offset, n);
    if (!buffer_) {
      buffer_.reset(static_cast<uint8_t*>(std::aligned_alloc(kAlignment, kBuffer)));
      if (!buffer_) return update(file_.data() + offset, n);  // no memory: the mapping holds them
    }
    while (n > 0) {
      const ssize_t got = ::pread(fd_, buffer_.get(), std::min<uint64_t>(n, kBuffer), static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return update(file_.data() + offset, n);  // the mapping still holds them
      update(buffer_.get(), static_cast<uint64_t>(got));
      offset += static_cast<uint64_t>(got);
      n -= static_cast<uint64_t>(got);
    }
  }

  void update(const uint8_t* data, uint64_t n) { sha256_.update(data, n); }

  ByteView file_;
  int fd_;
  struct FreeBuffer {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, FreeBuffer> buffer_;
  std::vector<FileRange> zeroed_;
  LongSha256 sha256_;
};

}  // namespace

std::string image_digest(ByteView file, const DigestPlan& plan, int fd) {
  if (!file.contains(plan.slot.offset, plan.slot.length)) throw file.malformed("slot lies outside the file");
  std::vector<FileRange> zeroed{plan.slot};
  zeroed.insert(zeroed.end(), plan.zeroed.begin(), plan.zeroed.end());
  uint64_t length = plan.trailing_zeros;
  for (const DigestPlan::Range& range : plan.ranges) length += range.length;
  ImageHasher h(file, std::move(zeroed), fd, length);
  for (const DigestPlan::Range& range : plan.ranges) {
    if (plan.framed) {
      h.u64le(range.offset);
      h.u64le(range.length);
    }
    h.bytes(range);
  }
  h.zeros(plan.trailing_zeros);
  return h.hex();
}

std::string sha256_hex(ByteView bytes) {
  const Sha256::Digest digest = digest_of<Sha256>(bytes.data(), bytes.size());
  return hex(digest.data(), digest.size());
}

}  // namespace buildinfo
