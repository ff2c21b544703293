// Hashing a file's contents as a git blob (see git_blob_id.h).
#include "vcs/git_blob_id.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/hex.h"
#include "support/sha1.h"

namespace buildinfo {

std::optional<std::string> git_blob_id(int fd, int64_t size, bool without_cr) {
  if (size < 0) return std::nullopt;
  Sha1 sha1;
  const std::string header = "blob " + std::to_string(size);
  sha1.update(header.data(), header.size() + 1);  // with its terminating zero
  alignas(64) char buffer[65536];  // the kernel's copy is slow into a 16-byte-aligned one (image_digest.cc)
  int64_t remaining = size;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || n > remaining) return std::nullopt;
    if (n == 0) break;
    if (without_cr && std::memchr(buffer, '\r', static_cast<size_t>(n)) != nullptr) return std::nullopt;
    sha1.update(buffer, static_cast<size_t>(n));
    remaining -= n;
  }
  if (remaining != 0) return std::nullopt;
  const Sha1::Digest digest = sha1.finish();
  return hex(digest.data(), digest.size());
}

}  // namespace buildinfo
