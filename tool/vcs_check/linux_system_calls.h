// The Linux system calls buildinfo-vcs-check makes, without the C library:
// the kernel's own headers give the numbers and structures (linux-libc-dev),
// and support/linux_system_call.h makes each call. A failed call returns
// -errno.
#pragma once

#include <asm/stat.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "support/linux_system_call.h"

namespace buildinfo::linux_system {

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
