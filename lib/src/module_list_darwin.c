/* buildinfo_for_each_module on macOS: dyld's list of loaded images, each
 * one's __DATA_CONST,__buildinfo section found with getsectiondata. */
#if defined(__APPLE__) && defined(__MACH__)

#include <dlfcn.h>
#include <mach-o/dyld.h>
#include <mach-o/getsect.h>

#include "buildinfo/slot_layout.h"
#include "module_visit.h"

static const char kModuleAnchor = 0; /* an object of this module, to recognise it */

size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context) {
  Dl_info self;
  size_t count = 0;
  uint32_t images, i;
  if (visit == NULL) return 0;
  self.dli_fbase = NULL;
  dladdr(&kModuleAnchor, &self);
  /* Images loaded meanwhile may be missed, as with any snapshot of the list. */
  images = _dyld_image_count();
  for (i = 0; i < images; ++i) {
    const struct mach_header* header = _dyld_get_image_header(i);
    unsigned long size = 0;
    const uint8_t* note;
    const unsigned char* slot = NULL;
    size_t slot_size = 0;
    if (header == NULL || header->magic != MH_MAGIC_64) continue; /* 64-bit processes only */
    note =
        getsectiondata((const struct mach_header_64*)header, BUILDINFO_MACHO_SEGMENT, BUILDINFO_MACHO_SECTION, &size);
    if (note == NULL || !buildinfo_slot_in_note(note, size, &slot, &slot_size)) continue;
    count += buildinfo_visit_slot(_dyld_get_image_name(i), slot, slot_size, (const void*)header == self.dli_fbase,
                                  visit, context);
  }
  return count;
}

#else

typedef int buildinfo_no_darwin_module_list; /* ISO C wants a declaration */

#endif /* __APPLE__ && __MACH__ */
