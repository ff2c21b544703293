/* The C library's allocation and environment functions the runtime calls
 * (ISO C and POSIX). */
#ifndef BUILDINFO_TEST_MACOS_STDLIB_H
#define BUILDINFO_TEST_MACOS_STDLIB_H

#include <stddef.h>

void* malloc(size_t size);
void free(void* block);
char* getenv(const char* name);
int setenv(const char* name, const char* value, int overwrite);

#endif
