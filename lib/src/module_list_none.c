/* buildinfo_for_each_module where there is no loader to ask (freestanding
 * ELF, other systems): only this module, whose slot the linker placed here. */
#include "elf_loaded_notes.h"

#if !defined(BUILDINFO_HAVE_DL_ITERATE_PHDR) && !defined(_WIN32) && !(defined(__APPLE__) && defined(__MACH__))

#include "buildinfo/slot_layout.h"
#include "module_visit.h"

BUILDINFO_LOCAL_FUNCTION const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity);

size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context) {
  uint32_t capacity = 0;
  const unsigned char* slot;
  if (visit == NULL) return 0;
  slot = buildinfo_slot_bytes(&capacity);
  return buildinfo_visit_slot(NULL, slot, capacity, 1, visit, context);
}

#else

typedef int buildinfo_no_fallback_module_list; /* ISO C wants a declaration */

#endif
