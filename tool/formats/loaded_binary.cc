// Loading a binary: map it and scan it.
#include "formats/loaded_binary.h"

namespace buildinfo {

LoadedBinary load_binary(const std::string& path, bool whole) {
  MappedFile file(path, whole);
  BinaryImage image = scan_binary(file.view());  // its errors name the file through the view
  return LoadedBinary{path, std::move(file), std::move(image)};
}

void require_slot(const LoadedBinary& binary) {
  const BinaryFacts& facts = binary.facts();
  if (!facts.slots.empty()) return;
  throw Error(ErrorKind::no_record, binary.path,
              std::string("no buildinfo slot (") + container_name(facts.container) + " binary " +
                  missing_slot_detail(facts.container) +
                  "); link buildinfo::runtime into it (CMake: buildinfo_stamp(<target>)) to "
                  "reserve one");
}

void require_loaded_slots(const LoadedBinary& binary) {
  for (const SlotLocation& slot : binary.facts().slots) {
    if (slot.not_loaded.empty()) continue;
    throw Error(ErrorKind::bad_input, binary.path,
                "section " + slot.section + " is not loaded (" + slot.not_loaded +
                    "), so the program can never read its record; added after linking "
                    "(objcopy --add-section)? Reserve the slot when linking: "
                    "BUILDINFO_DEFINE_SLOT in a source file, or link buildinfo::runtime");
  }
}

}  // namespace buildinfo
