/* What the runtime calls of macOS's <dlfcn.h>: dladdr(3). Declarations
 * written from the documented interface, not Apple's header, so that the
 * macOS sources compile here without an SDK (tests/e2e/macos_runtime.sh).
 * https://developer.apple.com/library/archive/documentation/System/Conceptual/ManPages_iPhoneOS/man3/dladdr.3.html */
#ifndef BUILDINFO_TEST_MACOS_DLFCN_H
#define BUILDINFO_TEST_MACOS_DLFCN_H

typedef struct dl_info {
  const char* dli_fname; /* path of the image that holds the address */
  void* dli_fbase;       /* where that image is loaded */
  const char* dli_sname;
  void* dli_saddr;
} Dl_info;

int dladdr(const void* address, Dl_info* info);

#endif
