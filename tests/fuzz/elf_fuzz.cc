// Fuzz target: the ELF reader (32/64-bit, either byte order) and its note
// walk, its slot locator, the slot header decoder and the ELF image digest.
#include "format_fuzz.h"
#include "formats/elf/elf_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  (void)fuzz::scan_and_check_slots<ElfImage>(ByteView(data, size), elf::matches);
  return 0;
}
