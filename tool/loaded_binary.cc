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
  throw Error(ExitCode::no_record,
              binary.path + ": no buildinfo slot (" + binary.facts.format + " binary without section " +
                  (binary.facts.format == "pe" ? BUILDINFO_PE_SECTION
                   : binary.facts.format == "elf"
                       ? BUILDINFO_ELF_SECTION
                       : BUILDINFO_MACHO_SEGMENT "," BUILDINFO_MACHO_SECTION) +
                  "); link buildinfo::runtime into it (CMake: buildinfo_stamp(<target>)) to reserve one");
}

}  // namespace buildinfo
