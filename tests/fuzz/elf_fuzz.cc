// Fuzz target: the ELF reader (32/64-bit, either byte order), its slot
// locator, the slot header decoder and the ELF image digest.
#include "format_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace buildinfo;
  const ByteView file(data, size);
  if (!elf::matches(file)) return 0;
  BinaryFacts facts;
  try {
    facts = elf::scan(file);
  } catch (const Error&) {
    return 0;
  }
  for (const SlotLocation& slot : facts.slots) {
    fuzz::digest_slot(file, facts, slot);
    fuzz::decode_slot(file, slot);
  }
  return 0;
}
