// for_each_module on ELF systems: dl_iterate_phdr lists the loaded objects,
// and each one's slot is the buildinfo note in its PT_NOTE segments.
#include "elf_loaded_notes.h"

#if defined(BUILDINFO_HAVE_DL_ITERATE_PHDR)

#include "module_record.h"

#if __has_include(<sys/auxv.h>)
#include <sys/auxv.h>
#endif

namespace buildinfo {
namespace {

const char kModuleAnchor = 0;  // an object of this module, to recognise it

// The executable's own path: dl_iterate_phdr names it "", so take the path
// the kernel passed at exec (AT_EXECFN), where the C library offers it.
const char* executable_path() noexcept {
#if defined(AT_EXECFN)
  return reinterpret_cast<const char*>(getauxval(AT_EXECFN));
#else
  return nullptr;
#endif
}

struct walk {
  module_visitor visit;
  void* context;
  std::size_t count;
};

int visit_object(dl_phdr_info* info, std::size_t, void* data) noexcept {
  walk& w = *static_cast<walk*>(data);
  detail::note_contents slot;
  if (!detail::find_loaded_note(*info, BUILDINFO_NOTE_NAME, BUILDINFO_NOTE_NAME_SIZE, BUILDINFO_NOTE_TYPE, slot))
    return 0;
  const bool is_executable = info->dlpi_name == nullptr || info->dlpi_name[0] == '\0';
  w.count += detail::visit_slot(is_executable ? executable_path() : info->dlpi_name, slot.desc, slot.size,
                                detail::object_contains(*info, &kModuleAnchor), w.visit, w.context);
  return 0;  // on to the next object
}

}  // namespace

std::size_t for_each_module(module_visitor visit, void* context) noexcept {
  if (visit == nullptr) return 0;
  walk w{visit, context, 0};
  dl_iterate_phdr(visit_object, &w);
  return w.count;
}

}  // namespace buildinfo

#endif  // BUILDINFO_HAVE_DL_ITERATE_PHDR
