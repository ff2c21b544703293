// Test oracle: our slot locator and LIEF must agree on where the slot section
// is. Prints both and exits 1 on any difference, 2 on unreadable input.
#include <iostream>

#include "error.h"
#include "lief_description.h"
#include "loaded_binary.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lief_slot_oracle BINARY\n";
    return 2;
  }
  try {
    const buildinfo::LoadedBinary binary = buildinfo::load_binary(argv[1]);
    if (binary.facts().slots.empty()) {
      std::cerr << argv[1] << ": our locator found no slot\n";
      return 1;
    }
    // LIEF describes the first slice of a universal file; compare that one.
    const buildinfo::SlotLocation& ours = binary.facts().slots.front();
    const buildinfo::LiefSection lief = buildinfo::lief_find_section(argv[1], ours.section);
    const uint64_t our_offset = ours.section_offset - ours.slice_offset;
    std::cout << ours.section << ": ours offset " << our_offset << " size " << ours.section_size << ", LIEF "
              << (lief.found ? "offset " + std::to_string(lief.offset) + " size " + std::to_string(lief.size)
                             : std::string("not found"))
              << "\n";
    return lief.found && lief.offset == our_offset && lief.size == ours.section_size ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
