// Loading a binary: map it, scan it, name the file in every error.
#include "loaded_binary.h"

#include "buildinfo/slot_layout.h"

namespace buildinfo {

LoadedBinary load_binary(const std::string& path) {
  LoadedBinary binary{path, MappedFile(path), {}};
  try {
    binary.facts = scan_binary(binary.view());
  } catch (const Error& e) {
    throw Error(e.code(), path + ": " + e.what());
  }
  return binary;
}

void require_slot(const LoadedBinary& binary) {
  if (!binary.facts.slots.empty()) return;
  const std::string where = binary.facts.format == "pe"    ? "without section " BUILDINFO_PE_SECTION
                            : binary.facts.format == "elf" ? "without a buildinfo note: no section " BUILDINFO_ELF_SECTION
                                                             ", none in its PT_NOTE segments"
                                                           : "without section " BUILDINFO_MACHO_SEGMENT
                                                             "," BUILDINFO_MACHO_SECTION;
  throw Error(ExitCode::no_record, binary.path + ": no buildinfo slot (" + binary.facts.format + " binary " + where +
                                       "); link buildinfo::runtime into it (CMake: buildinfo_stamp(<target>)) to "
                                       "reserve one");
}

void require_loaded_slots(const LoadedBinary& binary) {
  for (const SlotLocation& slot : binary.facts.slots) {
    if (slot.not_loaded.empty()) continue;
    throw Error(ExitCode::bad_input, binary.path + ": section " + slot.section + " is not loaded (" + slot.not_loaded +
                                         "), so the program can never read its record; added after linking "
                                         "(objcopy --add-section)? Reserve the slot when linking: "
                                         "BUILDINFO_DEFINE_SLOT in a source file, or link buildinfo::runtime");
  }
}

}  // namespace buildinfo
