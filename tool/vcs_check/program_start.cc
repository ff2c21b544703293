// What a program without the C library supplies itself: the entry point,
// which finds the arguments and the environment on the stack the kernel
// built (System V ABI, "Process Initialization": argc, then argv and a
// null, then the environment and a null), and the four memory functions
// a compiler may call even in freestanding code (GCC manual, "Language
// Standards Supported by GCC": memcpy, memmove, memset and memcmp).
#include <stddef.h>

#include "vcs_check/linux_system_calls.h"
#include "vcs_check/program_start.h"

#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".global _start\n"
    ".type _start, @function\n"
    "_start:\n"
    "  xor %ebp, %ebp\n"  // the outermost frame
    "  mov %rsp, %rdi\n"  // the stack the kernel built, the first argument
    "  and $-16, %rsp\n"  // the alignment a call expects
    "  call buildinfo_start\n"
    "  hlt\n");
#elif defined(__aarch64__)
__asm__(
    ".text\n"
    ".global _start\n"
    ".type _start, %function\n"
    "_start:\n"
    "  mov x29, #0\n"  // the outermost frame
    "  mov x30, #0\n"
    "  mov x0, sp\n"  // the stack the kernel built (16-byte aligned), the first argument
    "  bl buildinfo_start\n");
#endif

extern "C" [[noreturn]] void buildinfo_start(long* stack) {
  const int argc = static_cast<int>(stack[0]);
  char** argv = reinterpret_cast<char**>(stack + 1);
  buildinfo::linux_system::exit(program_main(argc, argv, argv + argc + 1));
}

// Byte by byte through volatile pointers, so that the compiler does not
// turn these loops into calls of themselves.
extern "C" void* memcpy(void* to, const void* from, size_t size) {
  volatile char* out = static_cast<volatile char*>(to);
  const char* in = static_cast<const char*>(from);
  while (size-- > 0) *out++ = *in++;
  return to;
}

extern "C" void* memmove(void* to, const void* from, size_t size) {
  volatile char* out = static_cast<volatile char*>(to);
  const char* in = static_cast<const char*>(from);
  if (out < in) {
    while (size-- > 0) *out++ = *in++;
  } else {
    while (size-- > 0) out[size] = in[size];
  }
  return to;
}

extern "C" void* memset(void* to, int byte, size_t size) {
  volatile char* out = static_cast<volatile char*>(to);
  while (size-- > 0) *out++ = static_cast<char>(byte);
  return to;
}

extern "C" int memcmp(const void* a, const void* b, size_t size) {
  const volatile unsigned char* x = static_cast<const volatile unsigned char*>(a);
  const volatile unsigned char* y = static_cast<const volatile unsigned char*>(b);
  for (; size > 0; --size, ++x, ++y)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}
