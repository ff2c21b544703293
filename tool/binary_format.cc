// Dispatch to the format readers: try each in turn (as bloaty does).
#include "binary_format.h"

namespace buildinfo {

BinaryFacts scan_binary(ByteView file) {
  if (file.empty()) throw malformed("file is empty");
  if (elf::matches(file)) return elf::scan(file);
  if (pe::matches(file)) return pe::scan(file);
  if (macho::matches(file)) return macho::scan(file);
  throw malformed("unknown file type (not an ELF, PE or Mach-O binary)");
}

std::vector<FileRange> after_patch(MutableBytes file, const BinaryFacts& facts, const SlotLocation& slot) {
  if (facts.format == "pe") return pe::after_patch(file);
  if (facts.format == "macho" || facts.format == "macho-universal")
    return macho::after_patch(file, slot.slice_offset, slot.slice_size, slot.slot_offset, slot.capacity);
  return {};  // ELF: nothing outside the slot depends on it
}

}  // namespace buildinfo
