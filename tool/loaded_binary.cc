// Loading a binary: map it, scan it, name the file in every error.
#include "loaded_binary.h"

namespace buildinfo {

BinaryImage scan_file(const std::string& path, ByteView bytes) {
  try {
    return scan_binary(bytes);
  } catch (const Error& e) {
    throw Error(e.code(), path + ": " + e.what());
  }
}

LoadedBinary load_binary(const std::string& path) {
  MappedFile file(path);
  BinaryImage image = scan_file(path, file.view());
  return LoadedBinary{path, std::move(file), std::move(image)};
}

void require_slot(const LoadedBinary& binary) {
  const BinaryFacts& facts = binary.facts();
  if (!facts.slots.empty()) return;
  throw Error(ExitCode::no_record, binary.path + ": no buildinfo slot (" + container_name(facts.container) +
                                       " binary " + missing_slot_detail(facts.container) +
                                       "); link buildinfo::runtime into it (CMake: buildinfo_stamp(<target>)) to "
                                       "reserve one");
}

void require_loaded_slots(const LoadedBinary& binary) {
  for (const SlotLocation& slot : binary.facts().slots) {
    if (slot.not_loaded.empty()) continue;
    throw Error(ExitCode::bad_input, binary.path + ": section " + slot.section + " is not loaded (" + slot.not_loaded +
                                         "), so the program can never read its record; added after linking "
                                         "(objcopy --add-section)? Reserve the slot when linking: "
                                         "BUILDINFO_DEFINE_SLOT in a source file, or link buildinfo::runtime");
  }
}

}  // namespace buildinfo
