// The SHA-1 compression function (FIPS 180-4, section 6.1.2) in its two
// implementations, for sha1.cc to choose between once per process.
#pragma once

#include <cstddef>
#include <cstdint>

#include "support/cpu_features.h"

namespace buildinfo {

void sha1_compress_portable(uint32_t state[5], const uint8_t* blocks, size_t count);

// Where have_x86_sha_extensions() (cpu_features.h).
void sha1_compress_x86(uint32_t state[5], const uint8_t* blocks, size_t count);

}  // namespace buildinfo
