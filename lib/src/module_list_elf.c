/* buildinfo_for_each_module on ELF systems: dl_iterate_phdr lists the
 * loaded objects, and each one's slot is the buildinfo note in its PT_NOTE
 * segments. */
#include "elf_loaded_notes.h"

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

#include "buildinfo/slot_layout.h"
#include "module_visit.h"

#if __has_include(<sys/auxv.h>)
#include <sys/auxv.h>
#endif

static const char kModuleAnchor = 0; /* an object of this module, to recognise it */

/* The executable's own path: dl_iterate_phdr names it "", so take the path
 * the kernel passed at exec (AT_EXECFN), where the C library offers it. */
static const char* executable_path(void) {
#if defined(AT_EXECFN)
  return (const char*)getauxval(AT_EXECFN);
#else
  return NULL;
#endif
}

typedef struct walk {
  buildinfo_module_visitor visit;
  void* context;
  size_t count;
} walk;

static int visit_object(struct dl_phdr_info* info, size_t info_size, void* data) {
  walk* w = (walk*)data;
  buildinfo_note_contents slot;
  int is_executable;
  (void)info_size;
  if (!buildinfo_find_loaded_note(info, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE, BUILDINFO_NOTE_TYPE, &slot))
    return 0;
  is_executable = info->dlpi_name == NULL || info->dlpi_name[0] == '\0';
  w->count += buildinfo_visit_slot(is_executable ? executable_path() : info->dlpi_name, slot.desc, slot.size,
                                   buildinfo_object_contains(info, &kModuleAnchor), w->visit, w->context);
  return 0; /* on to the next object */
}

size_t buildinfo_for_each_module(buildinfo_module_visitor visit, void* context) {
  walk w;
  if (visit == NULL) return 0;
  w.visit = visit;
  w.context = context;
  w.count = 0;
  dl_iterate_phdr(visit_object, &w);
  return w.count;
}

#else

typedef int buildinfo_no_elf_module_list; /* ISO C wants a declaration */

#endif /* BUILDINFO_HAVE_DL_ITERATE_PHDR */
