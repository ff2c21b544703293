/* getsectiondata(3), the one function of <mach-o/getsect.h> the runtime
 * calls (written from the documented interface; see dlfcn.h here). */
#ifndef BUILDINFO_TEST_MACOS_GETSECT_H
#define BUILDINFO_TEST_MACOS_GETSECT_H

#include <mach-o/loader.h>
#include <stdint.h>

uint8_t* getsectiondata(const struct mach_header_64* header, const char* segment_name, const char* section_name,
                        unsigned long* size);

#endif
