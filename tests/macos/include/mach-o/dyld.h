/* dyld's list of loaded images, the functions of dyld(3) the runtime
 * calls (written from the documented interface; see dlfcn.h here).
 * https://developer.apple.com/library/archive/documentation/System/Conceptual/ManPages_iPhoneOS/man3/dyld.3.html */
#ifndef BUILDINFO_TEST_MACOS_DYLD_H
#define BUILDINFO_TEST_MACOS_DYLD_H

#include <mach-o/loader.h>
#include <stdint.h>

uint32_t _dyld_image_count(void);
const struct mach_header* _dyld_get_image_header(uint32_t image_index);
const char* _dyld_get_image_name(uint32_t image_index);

#endif
