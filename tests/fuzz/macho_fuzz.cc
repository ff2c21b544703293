// Fuzz target: the Mach-O reader (thin 32/64-bit, either byte order, and
// universal), its slot locator, the slot header decoder, the image digest,
// the code-signature page-hash fix-up after a patch and the page-hash check.
#include "format_fuzz.h"
#include "macho_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const ByteView file(data, size);
  const std::optional<BinaryFacts> facts = fuzz::scan_and_check_slots(file, macho::matches, macho::scan);
  if (!facts) return 0;
  for (const SlotLocation& slot : facts->slots) {
    std::vector<uint8_t> copy(data, data + size);
    try {
      macho::after_patch(copy, slot.slice_offset, slot.slice_size, slot.slot_offset, slot.capacity);
    } catch (const Error&) {
    }
  }
  for (const Slice& slice : facts->slices) {
    try {
      (void)macho::check_page_hashes(file, slice.offset, slice.size);
      (void)macho::has_cms_signature(file, slice.offset, slice.size);
      (void)macho::signature_layout(file, slice.offset, slice.size);
    } catch (const Error&) {
    }
  }
  return 0;
}
