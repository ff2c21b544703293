/* errno as macOS's C library provides it: a function that returns the
 * calling thread's error variable (written from the interface, not Apple's
 * header; see dlfcn.h here). */
#ifndef BUILDINFO_TEST_MACOS_ERRNO_H
#define BUILDINFO_TEST_MACOS_ERRNO_H

int* __error(void);
#define errno (*__error())
#define ENOMEM 12 /* "Cannot allocate memory", as in macOS's <sys/errno.h> */

#endif
