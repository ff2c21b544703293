// The Linux system calls buildinfo-vcs-check makes, without the C library:
// the kernel's own headers give the numbers and structures (linux-libc-dev),
// and each call is one instruction, `syscall` on x86-64 and `svc 0` on
// aarch64, with the arguments in the registers the kernel's ABI names
// (syscall(2), "Architecture calling conventions"). A failed call returns
// -errno.
#pragma once

#include <asm/stat.h>
#include <asm/unistd.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

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
#error "buildinfo-vcs-check makes its system calls itself on x86-64 and aarch64 Linux only"
#endif

using FileStatus = struct stat;  // the kernel's, as newfstatat(2) fills it

inline int open_at(int directory, const char* path, int flags) {
  return static_cast<int>(call(__NR_openat, directory, reinterpret_cast<long>(path), flags | O_CLOEXEC, 0));
}

inline long read(int fd, void* buffer, unsigned long size) {
  return call(__NR_read, fd, reinterpret_cast<long>(buffer), static_cast<long>(size));
}

inline long write(int fd, const void* buffer, unsigned long size) {
  return call(__NR_write, fd, reinterpret_cast<long>(buffer), static_cast<long>(size));
}

inline void close(int fd) { call(__NR_close, fd); }

// lstat() of `path`, relative to `directory` unless it is absolute.
inline bool status_at(int directory, const char* path, FileStatus& status) {
  return call(__NR_newfstatat, directory, reinterpret_cast<long>(path), reinterpret_cast<long>(&status),
              AT_SYMLINK_NOFOLLOW) == 0;
}

inline bool status_of(int fd, FileStatus& status) { return call(__NR_fstat, fd, reinterpret_cast<long>(&status)) == 0; }

// `size` bytes of zeroed memory of its own; nullptr when there is none.
inline char* new_memory(unsigned long size) {
  const long address =
      call(__NR_mmap, 0, static_cast<long>(size), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return address < 0 && address > -4096 ? nullptr : reinterpret_cast<char*>(address);
}

inline unsigned effective_user() { return static_cast<unsigned>(call(__NR_geteuid)); }

// Returns only when the program could not be started: -errno.
inline long execute(const char* path, char* const* arguments, char* const* environment) {
  return call(__NR_execve, reinterpret_cast<long>(path), reinterpret_cast<long>(arguments),
              reinterpret_cast<long>(environment));
}

[[noreturn]] inline void exit(int status) {
  for (;;) call(__NR_exit_group, status);
}

}  // namespace buildinfo::linux_system
