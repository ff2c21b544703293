// Fuzz target: the PE reader (PE32 and PE32+), its slot locator, the slot
// header decoder, the PE image digest and the checksum fix-up after a patch.
#include "format_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const ByteView file(data, size);
  if (!pe::matches(file)) return 0;
  BinaryFacts facts;
  try {
    facts = pe::scan(file);
  } catch (const Error&) {
    return 0;
  }
  for (const SlotLocation& slot : facts.slots) {
    fuzz::digest_slot(file, facts, slot);
    fuzz::decode_slot(file, slot);
  }
  std::vector<uint8_t> copy(data, data + size);
  try {
    pe::after_patch(copy);
  } catch (const Error&) {
  }
  return 0;
}
