// What the processor offers the hashes (sha1.cc, sha256.cc).
#pragma once

namespace buildinfo {

// True where the processor has the x86 SHA extensions (CPUID leaf 7, EBX
// bit 29), SSSE3 and SSE4.1, which the SHA-1 and SHA-256 code for them
// uses; false on other processors and other architectures.
bool have_x86_sha_extensions();

}  // namespace buildinfo
