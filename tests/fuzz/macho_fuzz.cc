// Fuzz target: the Mach-O reader (thin 32/64-bit, either byte order, and
// universal), its slot locator, the slot header decoder, the image digest,
// the code-signature page-hash fix-up after a patch and the page-hash check.
#include "format_fuzz.h"
#include "macho_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const ByteView file(data, size);
  if (!macho::matches(file)) return 0;
  BinaryFacts facts;
  try {
    facts = macho::scan(file);
  } catch (const Error&) {
    return 0;
  }
  for (const SlotLocation& slot : facts.slots) {
    fuzz::digest_slot(file, facts, slot);
    fuzz::decode_slot(file, slot);
    std::vector<uint8_t> copy(data, data + size);
    try {
      macho::after_patch(copy, slot.slice_offset, slot.slice_size, slot.slot_offset, slot.capacity);
    } catch (const Error&) {
    }
  }
  for (const Slice& slice : facts.slices) {
    try {
      (void)macho::check_page_hashes(file, slice.offset, slice.size);
      (void)macho::has_cms_signature(file, slice.offset, slice.size);
      (void)macho::signature_layout(file, slice.offset, slice.size);
    } catch (const Error&) {
    }
  }
  return 0;
}
