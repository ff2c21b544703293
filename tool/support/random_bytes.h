// Random bytes from the kernel (getrandom(2)), for document ids that must
// be unique: a CycloneDX serial number, an SPDX namespace.
#pragma once

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "support/error.h"

namespace buildinfo {

inline void random_bytes(uint8_t* out, size_t size) {
  while (size > 0) {
    const ssize_t got = ::getrandom(out, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw internal_error(std::string("the system gave no random bytes: ") + std::strerror(errno));
    out += got;
    size -= static_cast<size_t>(got);
  }
}

}  // namespace buildinfo
