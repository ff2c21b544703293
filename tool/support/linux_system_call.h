// One Linux system call, made without the C library: one instruction,
// `syscall` on x86-64 and `svc 0` on aarch64, with the arguments in the
// registers the kernel's ABI names (syscall(2), "Architecture calling
// conventions"). It returns -errno on failure and touches no errno, so
// that code which must not use the C library's per-thread state can call
// it: buildinfo-vcs-check, which has no C library, and the child of
// support/background_release.cc, which shares the tool's memory. The
// numbers come from <asm/unistd.h> (__NR_*).
#pragma once

#include <asm/unistd.h>

namespace buildinfo::linux_system {

#if defined(__x86_64__)
inline long call(long number, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  long result;
  __asm__ volatile("syscall"
                   : "=a"(result)
                   : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return result;
}
#elif defined(__aarch64__)
inline long call(long number, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0, long f = 0) {
  register long x8 __asm__("x8") = number;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  register long x5 __asm__("x5") = f;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
  return x0;
}
#else
#error "system calls are made directly on x86-64 and aarch64 Linux only"
#endif

}  // namespace buildinfo::linux_system
