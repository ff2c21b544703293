// for_each_module where there is no loader to ask (freestanding ELF, other
// systems): only this module, whose slot the linker placed here.
#include "elf_loaded_notes.h"

#if !defined(BUILDINFO_HAVE_DL_ITERATE_PHDR) && !defined(_WIN32) && !(defined(__APPLE__) && defined(__MACH__))

#include "module_record.h"

BUILDINFO_EXTERN_C BUILDINFO_LOCAL_FUNCTION const unsigned char* buildinfo_slot_bytes(uint32_t* slot_capacity);

namespace buildinfo {

std::size_t for_each_module(module_visitor visit, void* context) noexcept {
  if (visit == nullptr) return 0;
  std::uint32_t capacity = 0;
  const unsigned char* slot = buildinfo_slot_bytes(&capacity);
  return detail::visit_slot(nullptr, slot, capacity, true, visit, context);
}

}  // namespace buildinfo

#endif
