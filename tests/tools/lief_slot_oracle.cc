// Test oracle: our slot locator and LIEF must agree on where the slot section
// is. Prints both and exits 1 on any difference, 2 on unreadable input.
// LIEF's view is the description the tool's LIEF plug-in gives inspect.
#include <iostream>

#include "describe/lief_description.h"
#include "formats/loaded_binary.h"
#include "plugins/plugin_loader.h"
#include "support/error.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lief_slot_oracle BINARY\n";
    return 2;
  }
  try {
    buildinfo::set_plugin_directory(BUILDINFO_TEST_PLUGIN_DIR);
    const buildinfo::LoadedBinary binary = buildinfo::load_binary(argv[1]);
    if (binary.facts().slots.empty()) {
      std::cerr << argv[1] << ": our locator found no slot\n";
      return 1;
    }
    // LIEF describes the first slice of a universal file; compare that one.
    const buildinfo::SlotLocation& ours = binary.facts().slots.front();
    const buildinfo::LiefDescription description = buildinfo::describe_with_lief(argv[1]);
    if (description.error) {
      std::cerr << argv[1] << ": " << *description.error << "\n";
      return 2;
    }
    const buildinfo::LiefSection* lief = nullptr;
    for (const buildinfo::LiefSection& section : description.sections) {
      if (section.name == ours.section) {
        lief = &section;
        break;
      }
    }
    // LIEF's PE size is SizeOfRawData (file-aligned); the section's bytes
    // are min(VirtualSize, SizeOfRawData), as our reader takes them.
    uint64_t lief_size = lief != nullptr ? lief->size : 0;
    if (lief != nullptr && lief->virtual_size != 0 && lief->virtual_size < lief_size) lief_size = lief->virtual_size;
    const uint64_t our_offset = ours.section_offset - ours.slice_offset;
    std::cout << ours.section << ": ours offset " << our_offset << " size " << ours.section_size << ", LIEF "
              << (lief != nullptr ? "offset " + std::to_string(lief->offset) + " size " + std::to_string(lief_size)
                                  : std::string("not found"))
              << "\n";
    return lief != nullptr && lief->offset == our_offset && lief_size == ours.section_size ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}
