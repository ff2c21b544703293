/* The Mach-O headers the runtime looks at, as <mach-o/loader.h> lays them
 * out (written from the format, not Apple's header; see dlfcn.h here). */
#ifndef BUILDINFO_TEST_MACOS_LOADER_H
#define BUILDINFO_TEST_MACOS_LOADER_H

#include <stdint.h>

struct mach_header {
  uint32_t magic;
  int32_t cputype;
  int32_t cpusubtype;
  uint32_t filetype;
  uint32_t ncmds;
  uint32_t sizeofcmds;
  uint32_t flags;
};

struct mach_header_64 {
  uint32_t magic;
  int32_t cputype;
  int32_t cpusubtype;
  uint32_t filetype;
  uint32_t ncmds;
  uint32_t sizeofcmds;
  uint32_t flags;
  uint32_t reserved;
};

#define MH_MAGIC_64 0xfeedfacfu

#endif
