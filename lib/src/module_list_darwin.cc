// for_each_module on macOS: dyld's list of loaded images, each one's
// __DATA_CONST,__buildinfo section found with getsectiondata.
#if defined(__APPLE__) && defined(__MACH__)

#include <dlfcn.h>
#include <mach-o/dyld.h>
#include <mach-o/getsect.h>

#include "module_record.h"

namespace buildinfo {
namespace {

const char kModuleAnchor = 0;  // an object of this module, to recognise it

}  // namespace

std::size_t for_each_module(module_visitor visit, void* context) noexcept {
  if (visit == nullptr) return 0;
  Dl_info self{};
  dladdr(&kModuleAnchor, &self);
  std::size_t count = 0;
  // Images loaded meanwhile may be missed, as with any snapshot of the list.
  const uint32_t images = _dyld_image_count();
  for (uint32_t i = 0; i < images; ++i) {
    const mach_header* header = _dyld_get_image_header(i);
    if (header == nullptr || header->magic != MH_MAGIC_64) continue;  // 64-bit processes only
    unsigned long size = 0;
    const uint8_t* note = getsectiondata(reinterpret_cast<const mach_header_64*>(header), BUILDINFO_MACHO_SEGMENT,
                                         BUILDINFO_MACHO_SECTION, &size);
    const unsigned char* slot = nullptr;
    std::size_t slot_size = 0;
    if (note == nullptr || !detail::slot_in_note(note, size, &slot, &slot_size)) continue;
    count += detail::visit_slot(_dyld_get_image_name(i), slot, slot_size, header == self.dli_fbase, visit, context);
  }
  return count;
}

}  // namespace buildinfo

#endif  // __APPLE__ && __MACH__
