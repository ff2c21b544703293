// The CPUID checks of cpu_features.h (Intel 64 and IA-32 Architectures
// Software Developer's Manual, volume 2, CPUID).
#include "support/cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace buildinfo {

bool have_x86_sha_extensions() {
#if defined(__x86_64__)
  static const bool present = [] {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool sse = (ecx & bit_SSE4_1) != 0 && (ecx & bit_SSSE3) != 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    return sse && (ebx & bit_SHA) != 0;
  }();
  return present;
#else
  return false;
#endif
}

}  // namespace buildinfo
