// Fuzz target: the Mach-O reader (thin 32/64-bit, either byte order, and
// universal), its slot locator, the slot header decoder, the image digest,
// the code-signature page-hash fix-up after a patch and the page-hash check.
#include "format_fuzz.h"
#include "formats/macho/macho_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const ByteView file(data, size);
  const std::optional<MachOImage> image = fuzz::scan_and_check_slots<MachOImage>(file, macho::matches);
  if (!image) return 0;
  for (const SlotLocation& slot : image->facts().slots) {
    std::vector<uint8_t> copy(data, data + size);
    try {
      (void)image->after_patch(copy, slot);
    } catch (const Error&) {
    }
  }
  for (const MachOSlice& slice : image->slices()) {
    try {
      (void)slice.check_page_hashes(file);
      (void)slice.has_cms_signature();
      (void)slice.signature_layout();
    } catch (const Error&) {
    }
  }
  return 0;
}
